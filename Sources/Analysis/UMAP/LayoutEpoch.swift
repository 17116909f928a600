/// The per-epoch constants of the gradient.
struct EpochContext: Sendable {
    let count: Int
    let dimension: Int
    let epoch: Double
    let alpha: Float
    let a: Float
    let b: Float
    /// Lane coefficients of the first batch of an edge (its pull in lane 0) and of later batches.
    let pullAndPushes: LaneForces
    let pushes: LaneForces
    /// 1 in the first n lanes and 0 after them, for n = 0…8: masks the lanes a batch leaves unused.
    /// (Held here rather than in a static, whose every use would check its initialisation.)
    let usedLanes: [SIMD8<Float>] = (0...8).map { used in SIMD8((0..<8).map { $0 < used ? 1 : 0 }) }

    init(count: Int, dimension: Int, epoch: Double, alpha: Float, curve: MembershipCurve, repulsion: Float) {
        self.count = count
        self.dimension = dimension
        self.epoch = epoch
        self.alpha = alpha
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
    let edges: UnsafeMutablePointer<LayoutEdge>
    /// Per edge, when it is next due (fractional epochs, as umap-learn counts them), apart from the
    /// rest of the edge: every epoch reads all of these and only the due edges' records.
    let nextSamples: UnsafeMutablePointer<Double>
    /// Scratch for the numbers of the due edges, one slot per edge.
    let dueNumbers: UnsafeMutablePointer<Int32>
    let generators: UnsafeMutablePointer<UInt64>
    /// One slot per edge: a shard lists its due edges in the slots of its own edges.
    let due: UnsafeMutablePointer<DueEdge>

    static let streamCount = 4

    /// Runs one epoch of the due edges in `edges`, whose heads are the vertices in `owned`.
    func run(edges: Range<Int>, owned: Range<Int>, shard: Int, context c: EpochContext) {
        // The differences to a batch's far ends (tail, random vertices), one vector of eight lanes per
        // axis, kept between the pass that measures the distances and the pass that moves.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: Self.streamCount * c.dimension) { scratch in
            scratch.initialize(repeating: SIMD8())
            let edgeStream = EdgeStream(buffers: self, owned: owned, shard: shard, context: c)
            let dueEdges = due + edges.lowerBound
            let dueCount = collectDue(edges, into: dueEdges, epoch: c.epoch)
            // Consecutive edges of one head form a chain: each starts from where the last one moved
            // the head, and the CPU waits for every step of it. Streams of edges of different heads
            // (consecutive parts of the list), taken in turn, give it independent work to overlap.
            // The order is fixed, so results stay reproducible.
            let length = (dueCount + Self.streamCount - 1) / Self.streamCount
            for index in 0..<length {
                for stream in 0..<Self.streamCount where stream * length + index < dueCount {
                    edgeStream.step(dueEdges[stream * length + index], scratch: scratch.baseAddress! + stream * c.dimension)
                }
            }
        }
    }

    /// Lists the edges due this epoch with their numbers of negative samples, schedules their next
    /// samples, and returns how many are due.
    ///
    /// First one pass over all the due times in memory order, which the hardware prefetches, noting
    /// the due edges' numbers without a branch (whether an edge is due is close to a coin flip for
    /// many); visiting the edges one by one waited on a cache miss for nearly every one. Then the due
    /// edges' records alone, in increasing order.
    private func collectDue(_ range: Range<Int>, into list: UnsafeMutablePointer<DueEdge>, epoch: Double) -> Int {
        let numbers = dueNumbers + range.lowerBound
        var count = 0
        for index in range {
            numbers[count] = Int32(truncatingIfNeeded: index)
            count &+= Int(unsafeBitCast(nextSamples[index] <= epoch, to: UInt8.self))
        }
        for slot in 0..<count {
            let index = Int(numbers[slot]), edge = edges[index]
            let negatives = max(0, ((epoch - edge.nextNegativeSample) / edge.epochsPerNegativeSample).rounded(.towardZero))
            list[slot] = DueEdge(head: edge.head, tail: edge.tail, negatives: Int32(negatives))
            nextSamples[index] += edge.epochsPerSample
            edges[index].nextNegativeSample += negatives * edge.epochsPerNegativeSample
        }
        return count
    }
}

/// What the layout keeps of one edge besides its next due time (`EpochBuffers.nextSamples`).
struct LayoutEdge {
    /// When the edge's negative samples are next due, in fractional epochs as umap-learn counts them.
    var nextNegativeSample: Double
    let epochsPerSample: Double
    let epochsPerNegativeSample: Double
    let head: Int32
    let tail: Int32
}

/// An edge due in this epoch, and how many negative samples come with it.
struct DueEdge {
    let head: Int32
    let tail: Int32
    let negatives: Int32
}

/// The moves of one due edge: its pull and its negative samples' pushes.
private struct EdgeStream {
    let buffers: EpochBuffers
    let owned: Range<Int>
    let ownDeferred: UnsafeMutablePointer<Float>
    let context: EpochContext

    init(buffers: EpochBuffers, owned: Range<Int>, shard: Int, context: EpochContext) {
        self.buffers = buffers
        self.owned = owned
        ownDeferred = buffers.deferred + shard * context.count * context.dimension
        self.context = context
    }

    @inline(__always)
    func step(_ edge: DueEdge, scratch differences: UnsafeMutablePointer<SIMD8<Float>>) {
        let c = context, b = buffers, dimension = c.dimension
        let head = Int(edge.head), tail = Int(edge.tail), negatives = Int(edge.negatives)
        let current = b.live + head * dimension
        // The tail live if this task owns it, else as it was at the start of the epoch, its move
        // deferred; selected without a branch, as the tail is outside the shard about half the time.
        let isOwned = owned.contains(tail)
        let other = isOwned ? UnsafePointer(b.live) : b.snapshot
        let tailMove = (isOwned ? b.live : ownDeferred) + tail * dimension
        var generator = b.generators[head]

        // The edge's pull and its negative samples' pushes are computed together in eight vector
        // lanes (the pull in lane 0 of the first batch), all from the head's position before the
        // batch. umap-learn moves the head between them, which chains each on the previous one;
        // both forces need the same power d^2b, computed once here. Random vertices are read from
        // the snapshot even when this task owns them, so that no draw needs a branch.
        var drawn = 0, isFirstBatch = true
        while isFirstBatch || drawn < negatives {
            let first = isFirstBatch ? 1 : 0
            let used = first + min(8 - first, negatives - drawn)
            // Unused lanes read the head's snapshot and get no force. Rows are eight named values,
            // not a vector: writing a vector's lane chosen at run time goes through memory.
            func row(_ lane: Int) -> Int {
                guard lane >= first && lane < used else { return head * dimension }
                // Multiply-shift maps 32 random bits onto 0..<count without a division (Lemire 2019).
                return Int(((nextRandom(&generator) >> 32) &* UInt64(c.count)) >> 32) * dimension
            }
            let row0 = isFirstBatch ? tail * dimension : row(0)
            let (row1, row2, row3, row4, row5, row6, row7) = (row(1), row(2), row(3), row(4), row(5), row(6), row(7))
            drawn += used - first
            let laneZero = isFirstBatch ? other : b.snapshot
            var squared = SIMD8<Float>()
            for axis in 0..<dimension {
                let s = b.snapshot + axis
                let far = SIMD8(laneZero[row0 + axis], s[row1], s[row2], s[row3], s[row4], s[row5], s[row6], s[row7])
                let difference = current[axis] - far
                differences[axis] = difference
                squared.addProduct(difference, difference)
            }
            // Pull: −2ab·d^(2b−2) / (a·d^2b + 1); push: 2γb / ((0.001 + d²)(a·d^2b + 1)).
            let forces = isFirstBatch ? c.pullAndPushes : c.pushes
            let power = fastPower(squared, c.b)
            let coefficients = (forces.powerScale * power + forces.constant) / ((squared + forces.offset) * (c.a * power + 1))
                * c.usedLanes[used]
            for axis in 0..<dimension {
                let steps = clip(coefficients * differences[axis]) * c.alpha
                current[axis] += steps.sum()
                if isFirstBatch { tailMove[axis] -= steps[0] }
            }
            isFirstBatch = false
        }
        b.generators[head] = generator
    }

    /// Each lane clipped to ±gradientClip, in integer vector operations: the generic `clamped` and
    /// `pointwiseMin` are calls, not instructions. Below 2³¹ the bits of non-negative floats order
    /// as the floats do, so min(|x|, clip) is an integer minimum; the sign goes back on after.
    @inline(__always)
    private func clip(_ values: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(values, to: SIMD8<Int32>.self)
        let limit = SIMD8<Int32>(repeating: Int32(bitPattern: UMAPParameters.gradientClip.bitPattern))
        let excess = (bits & 0x7FFF_FFFF) &- limit
        let magnitude = limit &+ (excess & (excess &>> 31))
        return unsafeBitCast(magnitude | (bits & Int32.min), to: SIMD8<Float>.self)
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
