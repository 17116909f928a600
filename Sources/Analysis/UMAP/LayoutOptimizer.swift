import ModelCore

/// The SGD of umap's optimize_layout_euclidean, run a few epochs at a time.
///
/// Each sampled edge pulls its two ends together (move_other); each pull comes with
/// `negativeSampleRate` pushes of the head away from random vertices. The step decays linearly from
/// the learning rate to zero over `totalEpochs`; gradients are clipped to ±4.
///
/// Reproducible on both cores: the vertices are split into `shardCount` fixed ranges and each range's
/// edges run on one task. A task moves its own vertices (the heads of its edges) live, reads other
/// vertices from a snapshot taken at the start of the epoch, and defers the moves of its edges' tails
/// to the end of the epoch (umap-learn's parallel mode reads and writes them racily instead). Random
/// vertices are drawn from a generator per head vertex, as in umap-learn, so the draws do not depend
/// on the schedule either.
///
/// Within a task, eight vector lanes (in a few groups) work through different heads' edges side by
/// side (see EpochBuffers.run); each lane follows umap-learn's order for its edge: the pull, then
/// each negative sample from where the last one left the head.
///
/// The vertices are kept in `layoutOrder` (see there why); `embedding` puts them back in input order.
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
    /// The first position of each shard, plus the end: ranges of equal expected work per epoch.
    private let shardStarts: [Int]

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
        shardStarts = Self.balancedShards(edges: edges, vertexStarts: vertexStarts)
        snapshot = positions
        deferred = [Float](repeating: 0, count: Self.shardCount * positions.count)
        due = [DueEdge](repeating: .idle, count: edges.count)
        dueNumbers = [Int32](repeating: 0, count: edges.count)
        generators = order.map { vertex in
            // Never zero: xorshift would stay there.
            (parameters.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(vertex + 1)) | 1
        }
    }

    /// Cuts the positions into shards of about equal work: an edge is sampled once every
    /// `epochsPerSample` epochs, with its negative samples, so its expected work per epoch is the
    /// inverse of that. (Shards of equal vertex counts left one core idle a sixth of the time.)
    private static func balancedShards(edges: [LayoutEdge], vertexStarts: [Int]) -> [Int] {
        let count = vertexStarts.count - 1
        let total = edges.reduce(0) { $0 + 1 / $1.epochsPerSample }
        var starts = [0], work = 0.0, vertex = 0
        for shard in 1..<shardCount {
            let target = total * Double(shard) / Double(shardCount)
            while vertex < count, work < target {
                for edge in vertexStarts[vertex]..<vertexStarts[vertex + 1] { work += 1 / edges[edge].epochsPerSample }
                vertex += 1
            }
            starts.append(vertex)
        }
        return starts + [count]
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
                                            let shardStarts = self.shardStarts
                                            Parallel.run(workers: Self.shardCount) { shard in
                                                let owned = shardStarts[shard]..<shardStarts[shard + 1]
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
