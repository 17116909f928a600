/// The per-epoch constants of the gradient.
struct EpochContext: Sendable {
    let count: Int
    let dimension: Int
    let epoch: Double
    let alpha: Float
    let a: Float
    let b: Float
    let negativeSampleRate: Double
    /// Lane coefficients of the first batch of an edge (its pull in lane 0) and of later batches.
    let pullAndPushes: LaneForces
    let pushes: LaneForces

    init(count: Int, dimension: Int, epoch: Double, alpha: Float, curve: MembershipCurve, repulsion: Float,
         negativeSampleRate: Double) {
        self.count = count
        self.dimension = dimension
        self.epoch = epoch
        self.alpha = alpha
        self.negativeSampleRate = negativeSampleRate
        a = curve.a
        b = curve.b
        let push = 2 * repulsion * curve.b
        pushes = LaneForces(powerScale: SIMD8(repeating: 0), constant: SIMD8(repeating: push), offset: SIMD8(repeating: 0.001))
        var pull = pushes
        // d^(2b−2) = d^2b / d²; the tiny offset keeps 0/0 out of coincident ends (their force is 0).
        pull.powerScale[0] = -2 * curve.a * curve.b
        pull.constant[0] = 0
        pull.offset[0] = .leastNormalMagnitude
        pullAndPushes = pull
    }
}

/// force coefficient = (powerScale·d^2b + constant) / ((d² + offset)(a·d^2b + 1)), lane by lane.
struct LaneForces: Sendable {
    var powerScale: SIMD8<Float>
    var constant: SIMD8<Float>
    var offset: SIMD8<Float>
}

/// Raw views of the optimiser's state for one epoch; see LayoutOptimizer for who may touch what.
struct EpochBuffers {
    let live: UnsafeMutablePointer<Float>
    let snapshot: UnsafePointer<Float>
    /// shardCount × count × dimension moves of other shards' vertices.
    let deferred: UnsafeMutablePointer<Float>
    let nextSample: UnsafeMutablePointer<Double>
    let nextNegativeSample: UnsafeMutablePointer<Double>
    let generators: UnsafeMutablePointer<UInt64>
    let heads: UnsafePointer<Int32>
    let tails: UnsafePointer<Int32>
    let epochsPerSample: UnsafePointer<Double>

    /// Runs one epoch of the due edges in `edges`, whose heads are the vertices in `owned`.
    func run(edges: Range<Int>, owned: Range<Int>, shard: Int, context c: EpochContext) {
        // The coordinates of a batch's far ends (tail, random vertices), axis by axis in rows of eight
        // lanes. Written one by one and read as vectors: inserting into a SIMD value lane by lane
        // stalls on store forwarding.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 8 * c.dimension) { scratch in
            scratch.initialize(repeating: 0)
            run(edges: edges, owned: owned, shard: shard, context: c, scratch: scratch.baseAddress!)
        }
    }

    private func run(edges: Range<Int>, owned: Range<Int>, shard: Int, context c: EpochContext,
                     scratch: UnsafeMutablePointer<Float>) {
        let dimension = c.dimension
        let ownDeferred = deferred + shard * c.count * dimension
        for edge in edges where nextSample[edge] <= c.epoch {
            let head = Int(heads[edge]), tail = Int(tails[edge])
            let current = live + head * dimension
            let other = position(tail, owned: owned, dimension: dimension)
            let tailMove = owned.contains(tail) ? live + tail * dimension : ownDeferred + tail * dimension
            nextSample[edge] += epochsPerSample[edge]
            let epochsPerNegative = epochsPerSample[edge] / c.negativeSampleRate
            let negatives = max(0, Int((c.epoch - nextNegativeSample[edge]) / epochsPerNegative))
            nextNegativeSample[edge] += Double(negatives) * epochsPerNegative

            // The edge's pull and its negative samples' pushes are computed together in eight vector
            // lanes (the pull in lane 0 of the first batch), all from the head's position before the
            // batch. umap-learn moves the head between them, which chains each on the previous one
            // and leaves the CPU waiting; both forces need the same power d^2b, computed once here.
            // Random vertices are read from the snapshot even when this task owns them: choosing
            // between live and snapshot per random draw was a branch mispredicted half the time.
            var drawn = 0, isFirstBatch = true
            while isFirstBatch || drawn < negatives {
                let forces = isFirstBatch ? c.pullAndPushes : c.pushes
                for lane in 0..<8 {
                    let source: UnsafePointer<Float>
                    if isFirstBatch && lane == 0 {
                        source = other
                    } else if drawn < negatives {
                        // Multiply-shift maps 32 random bits onto 0..<count without a division (Lemire 2019).
                        let sample = Int(((nextRandom(&generators[head]) >> 32) &* UInt64(c.count)) >> 32)
                        source = snapshot + sample * dimension
                        drawn += 1
                    } else {
                        // Unused lanes hold the head itself: zero difference, zero force (as for a
                        // negative sample that hits the head or a coincident point in umap-learn).
                        source = UnsafePointer(current)
                    }
                    for axis in 0..<dimension { scratch[axis * 8 + lane] = source[axis] }
                }
                var squared = SIMD8<Float>()
                for axis in 0..<dimension {
                    let difference = current[axis] - UnsafeRawPointer(scratch + axis * 8).loadUnaligned(as: SIMD8<Float>.self)
                    squared.addProduct(difference, difference)
                }
                // Pull: −2ab·d^(2b−2) / (a·d^2b + 1); push: 2γb / ((0.001 + d²)(a·d^2b + 1)).
                let power = fastPower(squared, c.b)
                let coefficients = (forces.powerScale * power + forces.constant) / ((squared + forces.offset) * (c.a * power + 1))
                for axis in 0..<dimension {
                    let difference = current[axis] - UnsafeRawPointer(scratch + axis * 8).loadUnaligned(as: SIMD8<Float>.self)
                    let steps = clip(coefficients * difference) * c.alpha
                    current[axis] += steps.sum()
                    if isFirstBatch { tailMove[axis] -= steps[0] }
                }
                isFirstBatch = false
            }
        }
    }

    /// A vertex's coordinates: live if this task owns it, else as they were at the start of the epoch.
    @inline(__always)
    private func position(_ vertex: Int, owned: Range<Int>, dimension: Int) -> UnsafePointer<Float> {
        owned.contains(vertex) ? UnsafePointer(live + vertex * dimension) : snapshot + vertex * dimension
    }

    @inline(__always)
    private func clip(_ value: Float) -> Float {
        min(max(value, -UMAPParameters.gradientClip), UMAPParameters.gradientClip)
    }

    @inline(__always)
    private func clip(_ values: SIMD8<Float>) -> SIMD8<Float> {
        // Lane by lane with scalar min/max, which LLVM turns into vector min/max; the generic
        // `clamped` is not inlined.
        var clipped = values
        for lane in 0..<8 { clipped[lane] = clip(values[lane]) }
        return clipped
    }

    /// xorshift64*: a few cycles per draw, which matters at five draws per sampled edge.
    @inline(__always)
    private func nextRandom(_ state: inout UInt64) -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
