/// A UMAP embedding of points (McInnes, Healy & Melville 2018), faithful to umap-learn 0.5.
///
/// Creating one does the preparation: nearest neighbours, the fuzzy graph and the spectral
/// initialisation. The layout is then optimised by `advance(epochs:)`, a few epochs at a time (a
/// terminal UI can draw `embedding` in between), or by `run(progress:)` to the end.
///
/// ```swift
/// var umap = UMAP(points: vectors, count: songs, dimension: 200, parameters: parameters)
/// umap.run()
/// let map = umap.embedding   // songs × 2
/// ```
public struct UMAP: Sendable {
    public let parameters: UMAPParameters
    public let count: Int
    private var optimizer: LayoutOptimizer

    /// Prepares the layout of `count` points given row-major in `points` (count × dimension).
    ///
    /// - Parameter progress: the preparation's progress, 0…1 (the neighbour search takes most of it).
    public init(points: [Float], count: Int, dimension: Int, parameters: UMAPParameters = UMAPParameters(),
                progress: (Double) -> Void = { _ in }) {
        precondition(count > 1 && dimension > 0, "UMAP needs at least two points")
        precondition(parameters.components > 0 && parameters.neighborCount > 1, "invalid parameters")
        self.parameters = parameters
        self.count = count
        let prepared = MetricPoints(points: points, count: count, dimension: dimension, metric: parameters.metric)
        let k = min(parameters.neighborCount, count)
        let searchShare = 0.8
        let neighborProgress: (Double) -> Void = { progress(searchShare * $0) }
        let neighbors = count < parameters.exactNeighborLimit
            ? NeighborGraph.exact(points: prepared, k: k, progress: neighborProgress)
            : NeighborGraph.descent(points: prepared, k: k, seed: parameters.seed, progress: neighborProgress)
        let epochs = parameters.epochCount(for: count)
        let graph = FuzzyGraph(neighbors: neighbors, smooth: SmoothDistances(graph: neighbors)).pruned(epochs: epochs)
        let initial = SpectralInitialisation.coordinates(graph: graph, points: prepared, dimension: parameters.components,
                                                         seed: parameters.seed)
        optimizer = LayoutOptimizer(initial: Self.rescaled(initial, dimension: parameters.components),
                                    dimension: parameters.components, schedule: EpochSchedule(graph: graph),
                                    curve: MembershipCurve(minDistance: parameters.minDistance, spread: parameters.spread),
                                    parameters: parameters, totalEpochs: epochs)
        progress(1)
    }

    /// The current layout, count × components, row-major.
    public var embedding: [Float] { optimizer.embedding }
    /// Epochs run so far.
    public var epochsCompleted: Int { optimizer.epochsCompleted }
    /// Epochs of the whole run.
    public var totalEpochs: Int { optimizer.totalEpochs }
    /// Whether every epoch has run.
    public var isFinished: Bool { epochsCompleted == totalEpochs }

    /// Runs up to `epochs` more epochs of the layout optimisation.
    public mutating func advance(epochs: Int) {
        optimizer.advance(epochs: epochs)
    }

    /// Runs the remaining epochs, reporting the fraction of all epochs done.
    public mutating func run(progress: (Double) -> Void = { _ in }) {
        let step = max(1, totalEpochs / 100)
        while !isFinished {
            advance(epochs: step)
            progress(Double(epochsCompleted) / Double(totalEpochs))
        }
    }

    /// Each axis mapped onto [0, 10], as umap-learn does before optimising.
    private static func rescaled(_ coordinates: [Float], dimension: Int) -> [Float] {
        var result = coordinates
        for axis in 0..<dimension {
            let values = stride(from: axis, to: coordinates.count, by: dimension).map { coordinates[$0] }
            let low = values.min() ?? 0, high = values.max() ?? 0
            let scale = high > low ? 10 / (high - low) : 0
            for index in stride(from: axis, to: coordinates.count, by: dimension) { result[index] = (coordinates[index] - low) * scale }
        }
        return result
    }
}
