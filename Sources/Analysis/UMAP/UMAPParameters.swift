/// How distances between input points are measured.
public enum UMAPMetric: String, Sendable, Codable, CaseIterable {
    /// Straight-line distance.
    case euclidean
    /// One minus the cosine of the angle between two vectors (zero vectors are at distance 1 from everything).
    case cosine
}

/// Every knob of a UMAP run, with umap-learn 0.5's defaults.
public struct UMAPParameters: Sendable, Equatable, Codable {
    /// Neighbours per point, the point itself included.
    public var neighborCount = 15
    /// How tightly points may pack in the embedding.
    public var minDistance: Float = 0.1
    /// The scale over which embedded points spread.
    public var spread: Float = 1
    /// Optimisation epochs; nil picks umap-learn's 500 up to 10,000 points and 200 beyond.
    public var epochs: Int?
    /// Initial SGD step, decaying linearly to zero.
    public var learningRate: Float = 1
    /// Negative (repulsive) samples per positive sample.
    public var negativeSampleRate = 5
    /// Weight of the repulsive force (umap's gamma).
    public var repulsionStrength: Float = 1
    /// Distance in the input space.
    public var metric: UMAPMetric = .euclidean
    /// Dimensions of the embedding: 2 for a map, more (e.g. 8) as input to clustering.
    public var components = 2
    /// Seed of every random choice; equal seeds give identical embeddings.
    public var seed: UInt64 = 42
    /// Inputs below this many points get exact neighbours, larger ones NN-descent (umap-learn: 4,096).
    public var exactNeighborLimit = 4_096

    public init() {}

    /// The number of epochs a run over `count` points takes.
    public func epochCount(for count: Int) -> Int {
        epochs ?? (count <= 10_000 ? 500 : 200)
    }

    // Fixed in umap-learn's defaults and not worth exposing.
    static let localConnectivity: Float = 1
    static let bandwidth: Float = 1
    static let gradientClip: Float = 4
    /// Coordinates of the spectral initialisation are scaled to ±this.
    static let initialisationScale: Float = 10
    /// Standard deviation of the noise added to the scaled initialisation.
    static let initialisationNoise: Float = 0.0001
}
