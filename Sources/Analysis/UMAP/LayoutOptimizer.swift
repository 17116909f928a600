import ModelCore

/// The SGD of umap's optimize_layout_euclidean, run a few epochs at a time.
///
/// Each sampled edge pulls its two ends together (move_other); each pull comes with
/// `negativeSampleRate` pushes of the head away from random vertices. The step decays linearly from
/// the learning rate to zero over `totalEpochs`; gradients are clipped to ±4.
///
/// Reproducible on both cores: the vertices are split into `shardCount` fixed ranges and each range's
/// edges run on one task. A task reads and writes its own vertices live, reads other vertices from a
/// snapshot taken at the start of the epoch, and defers its moves of them to the end of the epoch
/// (umap-learn's parallel mode reads and writes them racily instead). Random vertices are drawn from a
/// generator per head vertex, as in umap-learn, so the draws do not depend on the schedule either.
///
/// The vertices are kept in `layoutOrder` (see there why); `embedding` puts them back in input order.
///
/// One deliberate difference in the arithmetic (see EpochBuffers): an edge's pull and its pushes are
/// evaluated together at the head's position before them, where umap-learn moves the head between
/// them; the same forces, applied as one mini-batch, several times faster.
struct LayoutOptimizer: Sendable {
    /// count × dimension, row-major, in layout order.
    private var positions: [Float]
    /// The vertex at each position of the layout order.
    private let order: [Int32]
    let dimension: Int
    let totalEpochs: Int
    private(set) var epochsCompleted = 0

    /// Start of each position's edges in `edges`, plus the end.
    private let vertexStarts: [Int]
    private let curve: MembershipCurve
    private let learningRate: Float
    private let repulsion: Float
    private var edges: [LayoutEdge]
    private var nextSamples: [Double]
    private var generators: [UInt64]
    /// Scratch of the epochs (see EpochBuffers), kept between calls: the UI and `UMAP.run` advance a
    /// few epochs at a time, and allocating and zeroing these on every call (80 MB each time at
    /// 200,000 points) took seconds of a run. `deferred` is all zeros between epochs.
    private var snapshot: [Float]
    private var deferred: [Float]
    private var due: [DueEdge]
    private var dueNumbers: [Int32]
    /// Fixed rather than the core count, so that a seed gives the same layout on every machine.
    private static let shardCount = 2

    init(initial: [Float], dimension: Int, schedule: EpochSchedule, curve: MembershipCurve, parameters: UMAPParameters, totalEpochs: Int) {
        let count = initial.count / max(dimension, 1)
        let order = layoutOrder(initial, dimension: dimension)
        var position = [Int32](repeating: 0, count: count)
        for (index, vertex) in order.enumerated() { position[Int(vertex)] = Int32(index) }
        self.order = order
        positions = order.flatMap { initial[(Int($0) * dimension)..<((Int($0) + 1) * dimension)] }
        self.dimension = dimension
        self.curve = curve
        self.totalEpochs = totalEpochs
        learningRate = parameters.learningRate
        repulsion = parameters.repulsionStrength
        var edges: [LayoutEdge] = [], nextSamples: [Double] = [], vertexStarts = [0]
        edges.reserveCapacity(schedule.heads.count)
        nextSamples.reserveCapacity(schedule.heads.count)
        for (head, vertex) in order.enumerated() {
            for edge in schedule.vertexStarts[Int(vertex)]..<schedule.vertexStarts[Int(vertex) + 1] {
                let epochsPerSample = schedule.epochsPerSample[edge]
                let epochsPerNegativeSample = epochsPerSample / Double(parameters.negativeSampleRate)
                nextSamples.append(epochsPerSample)
                edges.append(LayoutEdge(nextNegativeSample: epochsPerNegativeSample,
                                        epochsPerSample: epochsPerSample, epochsPerNegativeSample: epochsPerNegativeSample,
                                        head: Int32(head), tail: position[Int(schedule.tails[edge])]))
            }
            vertexStarts.append(edges.count)
        }
        self.edges = edges
        self.nextSamples = nextSamples
        self.vertexStarts = vertexStarts
        snapshot = positions
        deferred = [Float](repeating: 0, count: Self.shardCount * positions.count)
        due = [DueEdge](repeating: DueEdge(head: 0, tail: 0, negatives: 0), count: edges.count)
        dueNumbers = [Int32](repeating: 0, count: edges.count)
        generators = order.map { vertex in
            // Never zero: xorshift would stay there.
            (parameters.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(vertex + 1)) | 1
        }
    }

    /// The layout, count × dimension, row-major, in input order.
    var embedding: [Float] {
        var embedding = [Float](repeating: 0, count: positions.count)
        for (index, vertex) in order.enumerated() {
            for axis in 0..<dimension { embedding[Int(vertex) * dimension + axis] = positions[index * dimension + axis] }
        }
        return embedding
    }

    /// Runs up to `epochs` more epochs (fewer if the run ends first).
    mutating func advance(epochs: Int) {
        let count = positions.count / max(dimension, 1)
        let end = min(totalEpochs, epochsCompleted + max(0, epochs))
        while epochsCompleted < end {
            snapshot.replaceSubrange(0..<snapshot.count, with: positions)
            let alpha = learningRate * (1 - Float(epochsCompleted) / Float(totalEpochs))
            let context = EpochContext(count: count, dimension: dimension, epoch: Double(epochsCompleted), alpha: alpha,
                                       curve: curve, repulsion: repulsion)
            let starts = vertexStarts
            positions.withUnsafeMutableBufferPointer { live in
                snapshot.withUnsafeBufferPointer { snapshot in
                    deferred.withUnsafeMutableBufferPointer { deferred in
                        edges.withUnsafeMutableBufferPointer { edges in
                            nextSamples.withUnsafeMutableBufferPointer { nextSamples in
                                dueNumbers.withUnsafeMutableBufferPointer { dueNumbers in
                                    generators.withUnsafeMutableBufferPointer { generators in
                                        due.withUnsafeMutableBufferPointer { due in
                                            let buffers = EpochBuffers(live: live.baseAddress!, snapshot: snapshot.baseAddress!,
                                                                       deferred: deferred.baseAddress!, edges: edges.baseAddress!,
                                                                       nextSamples: nextSamples.baseAddress!,
                                                                       dueNumbers: dueNumbers.baseAddress!,
                                                                       generators: generators.baseAddress!, due: due.baseAddress!)
                                            Parallel.run(workers: Self.shardCount) { shard in
                                                let owned = (count * shard / Self.shardCount)..<(count * (shard + 1) / Self.shardCount)
                                                buffers.run(edges: starts[owned.lowerBound]..<starts[owned.upperBound],
                                                            owned: owned, shard: shard, context: context)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    for index in 0..<live.count {
                        for shard in 0..<Self.shardCount where deferred[shard * live.count + index] != 0 {
                            live[index] += deferred[shard * live.count + index]
                            deferred[shard * live.count + index] = 0
                        }
                    }
                }
            }
            epochsCompleted += 1
        }
    }
}
