extension HDBSCAN.CondensedTree {
    /// The flat clustering: the selected clusters, ascending (label i is the i-th of them), as
    /// `hdbscan`'s `get_clusters` picks them, and the stabilities after selection (excess of mass
    /// hands an unselected cluster its children's total, which is what hdbscan reports for it if ε
    /// selects it later).
    func selectClusters(parameters: HDBSCANParameters) -> (clusters: [Int], stabilities: [Double]) {
        let children = childClusters
        var selected: Set<Int>
        var stabilities = stabilities
        switch parameters.selectionMethod {
        case .excessOfMass:
            selected = excessOfMass(&stabilities, children: children, allowSingleCluster: parameters.allowSingleCluster)
            // Only the root (allowed alone) is not refined by ε, as in hdbscan.
            if parameters.clusterSelectionEpsilon != 0 && clusterCount > 1 && selected != [root] {
                selected = epsilonSearch(from: selected, epsilon: parameters.clusterSelectionEpsilon,
                                         allowSingleCluster: parameters.allowSingleCluster)
            }
        case .leaf:
            let leaves = Set((root..<(root + clusterCount)).filter { $0 != root && children[$0 - root].isEmpty })
            selected = parameters.clusterSelectionEpsilon == 0 ? leaves
                : epsilonSearch(from: leaves, epsilon: parameters.clusterSelectionEpsilon,
                                allowSingleCluster: parameters.allowSingleCluster)
        }
        return (selected.sorted(), stabilities)
    }

    /// Excess of mass, bottom-up: keep a cluster when its own stability is at least the summed
    /// (already resolved) stability of its children, else pass that sum up.
    private func excessOfMass(_ stabilities: inout [Double], children: [[Int]], allowSingleCluster: Bool) -> Set<Int> {
        var isSelected = [Bool](repeating: false, count: clusterCount)
        // Numbering is breadth first, so descending ids visit children before parents.
        for cluster in stride(from: root + clusterCount - 1, through: allowSingleCluster ? root : root + 1, by: -1) {
            // hdbscan sums the children in single precision (`cdef float subtree_stability`); doing
            // the same keeps near-ties between a parent and its children going the same way.
            var childrenStability: Float = 0
            for child in children[cluster - root] {
                childrenStability = Float(Double(childrenStability) + stabilities[child - root])
            }
            if Double(childrenStability) > stabilities[cluster - root] {
                stabilities[cluster - root] = Double(childrenStability)
            } else {
                isSelected[cluster - root] = true
                for descendant in descendants(of: cluster, children: children) { isSelected[descendant - root] = false }
            }
        }
        return Set(isSelected.indices.filter { isSelected[$0] }.map { $0 + root })
    }

    /// Malzer & Baum's ε refinement: a selected cluster born at a distance below ε is replaced by
    /// its nearest ancestor born above ε (or kept when that would be the forbidden root).
    ///
    /// Clusters are visited in ascending order; hdbscan visits a Python set, whose order only
    /// matters when two selected clusters sit under the same replacing ancestor at different depths.
    private func epsilonSearch(from clusters: Set<Int>, epsilon: Double, allowSingleCluster: Bool) -> Set<Int> {
        var parentOf = [Int](repeating: -1, count: clusterCount)
        var birthDistance = [Double](repeating: .infinity, count: clusterCount)
        for row in rows where row.child >= root {
            parentOf[row.child - root] = row.parent
            birthDistance[row.child - root] = 1 / row.lambda
        }
        let children = childClusters
        func ancestorAboveEpsilon(_ cluster: Int) -> Int {
            let parent = parentOf[cluster - root]
            if parent == root { return allowSingleCluster ? root : cluster }
            return birthDistance[parent - root] > epsilon ? parent : ancestorAboveEpsilon(parent)
        }
        var selected = Set<Int>()
        var absorbed = Set<Int>()
        for cluster in clusters.sorted() {
            if birthDistance[cluster - root] >= epsilon {
                selected.insert(cluster)
            } else if !absorbed.contains(cluster) {
                let ancestor = ancestorAboveEpsilon(cluster)
                selected.insert(ancestor)
                absorbed.formUnion(descendants(of: ancestor, children: children))
            }
        }
        return selected
    }

    /// All clusters below `cluster` (not itself).
    func descendants(of cluster: Int, children: [[Int]]) -> [Int] {
        var found = children[cluster - root]
        var next = 0
        while next < found.count {
            found += children[found[next] - root]
            next += 1
        }
        return found
    }
}
