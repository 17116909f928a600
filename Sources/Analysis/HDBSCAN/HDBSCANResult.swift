/// A flat HDBSCAN clustering, with the per-point figures of `hdbscan`'s estimator.
public struct HDBSCANResult: Sendable, Equatable {
    /// Each point's cluster, −1 for noise. Clusters are numbered as `hdbscan` numbers them: in the
    /// order they appear in the condensed tree, breadth first from the root (a cluster that splits
    /// off earlier, at a lower density, comes before the clusters inside its sibling).
    public let labels: [Int]
    /// How strongly each point belongs to its cluster, in [0, 1] (`probabilities_`); 0 for noise.
    public let probabilities: [Float]
    /// GLOSH outlier score of each point, in [0, 1] (`outlier_scores_`): high for points that
    /// leave their cluster much earlier than its densest core.
    public let outlierScores: [Float]
    /// Each cluster's persistence (`cluster_persistence_`): its stability over its size times the
    /// densest λ of the tree, in [0, 1]; indexed by label.
    public let clusterStabilities: [Float]

    public var clusterCount: Int { clusterStabilities.count }
    public var noiseCount: Int { labels.count { $0 == -1 } }

    /// This result for a subset of `count` points placed back among them: `rows[i]` is the row of
    /// the subset's point i. The other points are noise with outlier score 1, as `hdbscan` treats
    /// points it set aside (it puts them under the root at density 0).
    func spread(over count: Int, rows: [Int]) -> HDBSCANResult {
        var labels = [Int](repeating: -1, count: count)
        var probabilities = [Float](repeating: 0, count: count)
        var outlierScores = [Float](repeating: 1, count: count)
        for (index, row) in rows.enumerated() {
            labels[row] = self.labels[index]
            probabilities[row] = self.probabilities[index]
            outlierScores[row] = self.outlierScores[index]
        }
        return HDBSCANResult(labels: labels, probabilities: probabilities, outlierScores: outlierScores,
                             clusterStabilities: clusterStabilities)
    }

    /// Every one of `count` points is noise: too few points to form a cluster.
    static func allNoise(count: Int) -> HDBSCANResult {
        HDBSCANResult(labels: [Int](repeating: -1, count: count), probabilities: [Float](repeating: 0, count: count),
                      outlierScores: [Float](repeating: 0, count: count), clusterStabilities: [])
    }
}
