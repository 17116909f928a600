/// The knobs of HDBSCAN, named and defaulted as in the `hdbscan` package (0.8.44).
public struct HDBSCANParameters: Sendable, Equatable {
    /// How flat clusters are picked from the condensed tree.
    public enum SelectionMethod: Sendable, Equatable {
        /// Excess of mass: the set of non-nested clusters with the largest total stability (`'eom'`).
        case excessOfMass
        /// The leaves of the condensed cluster tree: many small, homogeneous clusters (`'leaf'`).
        case leaf
    }

    /// The smallest group of points that counts as a cluster; smaller splits are points falling out.
    public var minClusterSize: Int
    /// The neighbourhood size of the core distance (the k-th neighbour, not counting the point itself);
    /// `nil` means `minClusterSize`, as in `hdbscan`.
    public var minSamples: Int?
    /// Divides distances before they meet core distances in the mutual reachability (robust single linkage).
    public var alpha: Double
    public var selectionMethod: SelectionMethod
    /// Whether the root (everything in one cluster) may be selected; `hdbscan` forbids it by default.
    public var allowSingleCluster: Bool
    /// Clusters that split below this distance are merged back into their parent (Malzer & Baum's ε̂).
    public var clusterSelectionEpsilon: Double

    public init(minClusterSize: Int = 5, minSamples: Int? = nil, alpha: Double = 1,
                selectionMethod: SelectionMethod = .excessOfMass, allowSingleCluster: Bool = false,
                clusterSelectionEpsilon: Double = 0) {
        precondition(minClusterSize >= 2, "min_cluster_size must be at least 2")
        precondition(minSamples.map { $0 >= 1 } ?? true, "min_samples must be positive")
        precondition(alpha > 0 && clusterSelectionEpsilon >= 0, "alpha must be positive, epsilon non-negative")
        self.minClusterSize = minClusterSize
        self.minSamples = minSamples
        self.alpha = alpha
        self.selectionMethod = selectionMethod
        self.allowSingleCluster = allowSingleCluster
        self.clusterSelectionEpsilon = clusterSelectionEpsilon
    }

    /// Parameters for a library of `songCount` songs: `minClusterSize` from
    /// ``recommendedMinClusterSize(songCount:scale:minimum:)``, everything else at its default.
    public static func forLibrary(songCount: Int, scale: Double = librarySizeScale,
                                  minimum: Int = smallestLibraryCluster) -> HDBSCANParameters {
        HDBSCANParameters(minClusterSize: recommendedMinClusterSize(songCount: songCount, scale: scale, minimum: minimum))
    }

    /// A `minClusterSize` that grows like `scale · √songCount`, but never below `minimum`.
    ///
    /// A fixed size fails at both ends: 15 is a tenth of a 150-song library but a speck in 50,000
    /// songs, where it shatters the map into hundreds of clusters. A fixed share (say 1 %) fails the
    /// other way: a 50,000-song library would only keep clusters of 500 songs, a few broad genres.
    /// The square root sits between the two: the number of clusters that *can* exist, at most
    /// N / minClusterSize = 2√N, grows with the library but slowly (about 20 for 100 songs, 63 for
    /// 1,000, 200 for 10,000), while HDBSCAN usually keeps far fewer. With the default scale 0.5 that
    /// is 5 songs for up to 100 songs, 16 for 1,000 (close to the 15 hdbscan users typically pick and
    /// the 17 clusters of the Billboard study), 50 for 10,000 and 112 for 50,000. Below 5 songs a
    /// "cluster" is not worth a colour on the map.
    public static func recommendedMinClusterSize(songCount: Int, scale: Double = librarySizeScale,
                                                 minimum: Int = smallestLibraryCluster) -> Int {
        max(minimum, Int((scale * Double(max(songCount, 0)).squareRoot()).rounded()))
    }

    /// The factor of √N in ``recommendedMinClusterSize(songCount:scale:minimum:)``.
    public static let librarySizeScale = 0.5
    /// The floor of ``recommendedMinClusterSize(songCount:scale:minimum:)``.
    public static let smallestLibraryCluster = 5

    /// The core-distance neighbourhood actually used for `count` points: `hdbscan` clamps it to
    /// count − 1 and to at least 1.
    func effectiveMinSamples(count: Int) -> Int {
        max(1, min(count - 1, minSamples ?? minClusterSize))
    }
}
