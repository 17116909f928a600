extension HDBSCAN.CondensedTree {
    /// Each point's cluster label (−1 for noise), given the selected clusters in label order: a
    /// point belongs to the selected cluster it fell out of, or whose descendants it fell out of.
    ///
    /// When the root is the single selection (allowed by `allowSingleCluster`), only the points
    /// that stay until the root's densest departure (or, with ε, down to distance ε) are members,
    /// as in `hdbscan`'s `do_labelling`.
    func labels(selected: [Int], parameters: HDBSCANParameters) -> [Int] {
        var labelOf = [Int](repeating: -1, count: clusterCount)
        for (label, cluster) in selected.enumerated() { labelOf[cluster - root] = label }
        // Parents precede children in the rows, so every cluster inherits a settled label.
        for row in rows where row.child >= root && labelOf[row.child - root] == -1 {
            labelOf[row.child - root] = labelOf[row.parent - root]
        }
        let rootOnly = selected == [root]
        let rootDeath = deaths[0]
        var labels = [Int](repeating: -1, count: pointCount)
        for row in rows where row.child < root {
            guard rootOnly else {
                labels[row.child] = labelOf[row.parent - root]
                continue
            }
            let epsilon = parameters.clusterSelectionEpsilon
            let stays = epsilon != 0 ? row.lambda >= 1 / epsilon : row.lambda >= rootDeath
            labels[row.child] = stays ? 0 : -1
        }
        return labels
    }

    /// `hdbscan`'s `probabilities_`: how long a point stays in its cluster, λ_point / λ_death of the
    /// cluster (capped at 1; 1 when the cluster dies at λ = 0 or the point at λ = ∞); 0 for noise.
    func membershipProbabilities(labels: [Int], selected: [Int]) -> [Double] {
        let deaths = deaths
        var probabilities = [Double](repeating: 0, count: pointCount)
        for row in rows where row.child < root && labels[row.child] >= 0 {
            let death = deaths[selected[labels[row.child]] - root]
            probabilities[row.child] = death == 0 || !row.lambda.isFinite ? 1 : min(row.lambda, death) / death
        }
        return probabilities
    }

    /// `hdbscan`'s `cluster_persistence_`: each selected cluster's stability over its size times the
    /// densest λ of the whole tree, in [0, 1]; 1 when that λ is 0 or infinite (duplicate points).
    func persistences(labels: [Int], selected: [Int], stabilities: [Double]) -> [Double] {
        let densest = rows.reduce(0) { max($0, $1.lambda) }
        var sizes = [Int](repeating: 0, count: selected.count)
        for label in labels where label >= 0 { sizes[label] += 1 }
        return selected.indices.map { label in
            densest == 0 || densest.isInfinite || sizes[label] == 0
                ? 1 : stabilities[selected[label] - root] / (Double(sizes[label]) * densest)
        }
    }
}
