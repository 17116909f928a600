@testable import Analysis

/// Small dendrograms worked by hand, with the figures `hdbscan`'s own tree functions give for them
/// (condense_tree, compute_stability, get_clusters, outlier_scores of 0.8.44).
enum HandWorkedTrees {
    static func merge(_ left: Int, _ right: Int, _ distance: Double, _ size: Int) -> HDBSCAN.Merge {
        HDBSCAN.Merge(left: left, right: right, distance: distance, size: size)
    }

    static func row(_ parent: Int, _ child: Int, _ lambda: Double, _ size: Int) -> HDBSCAN.CondensedTree.Row {
        HDBSCAN.CondensedTree.Row(parent: parent, child: child, lambda: lambda, childSize: size)
    }

    /// Ten points, min_cluster_size 3: {0, 1, 2, 3} and {4, 5, 6} split at distance 1; 7 and 8 leave
    /// at 2 as a pair too small to count, 9 leaves alone at 4.
    static let twoClusters: [HDBSCAN.Merge] = [
        merge(0, 1, 0.1, 2), merge(4, 5, 0.1, 2), merge(10, 2, 0.2, 3), merge(12, 3, 0.25, 4),
        merge(11, 6, 0.4, 3), merge(7, 8, 0.5, 2), merge(13, 14, 1.0, 7), merge(16, 15, 2.0, 9),
        merge(17, 9, 4.0, 10),
    ]

    /// Its condensed tree: root 10, clusters 11 = {0, 1, 2, 3} and 12 = {4, 5, 6}.
    static let twoClustersCondensed: [HDBSCAN.CondensedTree.Row] = [
        row(10, 9, 0.25, 1), row(10, 7, 0.5, 1), row(10, 8, 0.5, 1), row(10, 11, 1, 4), row(10, 12, 1, 3),
        row(11, 3, 4, 1), row(12, 4, 2.5, 1), row(12, 5, 2.5, 1), row(12, 6, 2.5, 1),
        row(11, 0, 5, 1), row(11, 1, 5, 1), row(11, 2, 5, 1),
    ]

    /// Twelve points, min_cluster_size 3: A = {0…7} and B = {8, 9, 10} split at distance 3, and A
    /// splits late (distance 0.65) into A1 = {0, 1, 2} and A2 = {3, 4, 5}, too briefly to beat A.
    static let nested: [HDBSCAN.Merge] = [
        merge(0, 1, 0.5, 2), merge(3, 4, 0.5, 2), merge(8, 9, 0.5, 2), merge(12, 2, 0.6, 3),
        merge(13, 5, 0.6, 3), merge(14, 10, 0.6, 3), merge(15, 16, 0.65, 6), merge(18, 6, 0.8, 7),
        merge(19, 7, 0.9, 8), merge(20, 17, 3, 11), merge(21, 11, 5, 12),
    ]

    /// Its condensed tree: root 12, A = 13, B = 14, A1 = 15, A2 = 16.
    static let nestedCondensed: [HDBSCAN.CondensedTree.Row] = [
        row(12, 11, 0.2, 1), row(12, 13, 1.0 / 3, 8), row(12, 14, 1.0 / 3, 3), row(13, 7, 1 / 0.9, 1),
        row(14, 8, 1 / 0.6, 1), row(14, 9, 1 / 0.6, 1), row(14, 10, 1 / 0.6, 1), row(13, 6, 1.25, 1),
        row(13, 15, 1 / 0.65, 3), row(13, 16, 1 / 0.65, 3), row(15, 0, 1 / 0.6, 1), row(15, 1, 1 / 0.6, 1),
        row(15, 2, 1 / 0.6, 1), row(16, 3, 1 / 0.6, 1), row(16, 4, 1 / 0.6, 1), row(16, 5, 1 / 0.6, 1),
    ]

    static func condensed(_ merges: [HDBSCAN.Merge], minClusterSize: Int = 3) -> HDBSCAN.CondensedTree {
        HDBSCAN.CondensedTree(merges: merges, minClusterSize: minClusterSize)
    }

    /// Whether two lists of numbers agree to `tolerance` everywhere.
    static func isClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance }
    }
}
