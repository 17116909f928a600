import Dispatch

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
/// One deliberate difference in the arithmetic (see EpochBuffers): an edge's pull and its pushes are
/// evaluated together at the head's position before them, where umap-learn moves the head between
/// them; the same forces, applied as one mini-batch, several times faster.
struct LayoutOptimizer: Sendable {
    /// count × dimension, row-major.
    private(set) var embedding: [Float]
    let dimension: Int
    let totalEpochs: Int
    private(set) var epochsCompleted = 0

    private let schedule: EpochSchedule
    private let curve: MembershipCurve
    private let learningRate: Float
    private let repulsion: Float
    private let negativeSampleRate: Double
    private var nextSample: [Double]
    private var nextNegativeSample: [Double]
    private var generators: [UInt64]
    /// Fixed rather than the core count, so that a seed gives the same layout on every machine.
    private static let shardCount = 2

    init(initial: [Float], dimension: Int, schedule: EpochSchedule, curve: MembershipCurve, parameters: UMAPParameters, totalEpochs: Int) {
        embedding = initial
        self.dimension = dimension
        self.schedule = schedule
        self.curve = curve
        self.totalEpochs = totalEpochs
        learningRate = parameters.learningRate
        repulsion = parameters.repulsionStrength
        negativeSampleRate = Double(parameters.negativeSampleRate)
        nextSample = schedule.epochsPerSample
        nextNegativeSample = schedule.epochsPerSample.map { $0 / Double(parameters.negativeSampleRate) }
        let count = initial.count / max(dimension, 1)
        generators = (0..<count).map { vertex in
            // Never zero: xorshift would stay there.
            (parameters.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(vertex + 1)) | 1
        }
    }

    /// Runs up to `epochs` more epochs (fewer if the run ends first).
    mutating func advance(epochs: Int) {
        let count = embedding.count / max(dimension, 1)
        let end = min(totalEpochs, epochsCompleted + max(0, epochs))
        var snapshot = embedding
        var deferred = [Float](repeating: 0, count: Self.shardCount * embedding.count)
        while epochsCompleted < end {
            snapshot.replaceSubrange(0..<snapshot.count, with: embedding)
            let alpha = learningRate * (1 - Float(epochsCompleted) / Float(totalEpochs))
            let epoch = Double(epochsCompleted)
            let context = EpochContext(count: count, dimension: dimension, epoch: epoch, alpha: alpha, curve: curve,
                                       repulsion: repulsion, negativeSampleRate: negativeSampleRate)
            embedding.withUnsafeMutableBufferPointer { live in
                snapshot.withUnsafeBufferPointer { snapshot in
                    deferred.withUnsafeMutableBufferPointer { deferred in
                        nextSample.withUnsafeMutableBufferPointer { nextSample in
                            nextNegativeSample.withUnsafeMutableBufferPointer { nextNegativeSample in
                                generators.withUnsafeMutableBufferPointer { generators in
                                    schedule.heads.withUnsafeBufferPointer { heads in
                                        schedule.tails.withUnsafeBufferPointer { tails in
                                            schedule.epochsPerSample.withUnsafeBufferPointer { epochsPerSample in
                                                let buffers = UncheckedSendable(value: EpochBuffers(
                                                    live: live.baseAddress!, snapshot: snapshot.baseAddress!, deferred: deferred.baseAddress!,
                                                    nextSample: nextSample.baseAddress!, nextNegativeSample: nextNegativeSample.baseAddress!,
                                                    generators: generators.baseAddress!, heads: heads.baseAddress!, tails: tails.baseAddress!,
                                                    epochsPerSample: epochsPerSample.baseAddress!))
                                                let starts = schedule.vertexStarts
                                                DispatchQueue.concurrentPerform(iterations: Self.shardCount) { shard in
                                                    let owned = (count * shard / Self.shardCount)..<(count * (shard + 1) / Self.shardCount)
                                                    buffers.value.run(edges: starts[owned.lowerBound]..<starts[owned.upperBound],
                                                                      owned: owned, shard: shard, context: context)
                                                }
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
