extension HDBSCAN {
    /// The single-linkage tree condensed by a minimum cluster size (Campello et al.'s HDBSCAN
    /// hierarchy, Stuetzle's runt pruning): a split where both sides have at least `minClusterSize`
    /// points makes two new clusters; any smaller side is points falling out of the cluster that
    /// continues. Distances become densities λ = 1 / distance.
    ///
    /// Points keep their indices `0..<pointCount`; clusters are numbered from `pointCount` (the root)
    /// in breadth-first order of the dendrogram, which is how `hdbscan` numbers them, so a parent's
    /// number is always below its children's.
    struct CondensedTree: Sendable {
        /// A point or a cluster leaving `parent` at density `lambda`.
        struct Row: Sendable, Equatable {
            var parent: Int
            var child: Int
            var lambda: Double
            var childSize: Int
        }

        let pointCount: Int
        /// In the order `hdbscan`'s `condense_tree` emits them: parents before children.
        let rows: [Row]
        /// Clusters, the root included: ids `pointCount ..< pointCount + clusterCount`.
        let clusterCount: Int

        var root: Int { pointCount }

        /// Condenses `merges` (the single-linkage tree of `merges.count + 1` points).
        init(merges: [Merge], minClusterSize: Int) {
            let pointCount = merges.count + 1
            self.pointCount = pointCount
            guard !merges.isEmpty else {
                rows = []
                clusterCount = 1
                return
            }
            func size(_ node: Int) -> Int { node < pointCount ? 1 : merges[node - pointCount].size }
            func breadthFirst(from start: Int) -> [Int] {
                var order = [start]
                var next = 0
                while next < order.count {
                    let node = order[next]
                    next += 1
                    if node >= pointCount {
                        order.append(merges[node - pointCount].left)
                        order.append(merges[node - pointCount].right)
                    }
                }
                return order
            }
            let dendrogramRoot = 2 * merges.count
            var relabel = [Int](repeating: 0, count: dendrogramRoot + 1)
            relabel[dendrogramRoot] = pointCount
            var nextLabel = pointCount + 1
            var ignored = [Bool](repeating: false, count: dendrogramRoot + 1)
            var rows: [Row] = []
            rows.reserveCapacity(2 * pointCount)

            func fallOut(_ subtree: Int, from cluster: Int, at lambda: Double) {
                for node in breadthFirst(from: subtree) {
                    if node < pointCount { rows.append(Row(parent: cluster, child: node, lambda: lambda, childSize: 1)) }
                    ignored[node] = true
                }
            }
            for node in breadthFirst(from: dendrogramRoot) where node >= pointCount && !ignored[node] {
                let merge = merges[node - pointCount]
                let lambda = merge.distance > 0 ? 1 / merge.distance : .infinity
                let cluster = relabel[node]
                let leftIsCluster = size(merge.left) >= minClusterSize
                let rightIsCluster = size(merge.right) >= minClusterSize
                switch (leftIsCluster, rightIsCluster) {
                case (true, true):
                    for side in [merge.left, merge.right] {
                        relabel[side] = nextLabel
                        nextLabel += 1
                        rows.append(Row(parent: cluster, child: relabel[side], lambda: lambda, childSize: size(side)))
                    }
                case (false, false):
                    fallOut(merge.left, from: cluster, at: lambda)
                    fallOut(merge.right, from: cluster, at: lambda)
                case (false, true):
                    relabel[merge.right] = cluster
                    fallOut(merge.left, from: cluster, at: lambda)
                case (true, false):
                    relabel[merge.left] = cluster
                    fallOut(merge.right, from: cluster, at: lambda)
                }
            }
            self.rows = rows
            clusterCount = nextLabel - pointCount
        }
    }
}
