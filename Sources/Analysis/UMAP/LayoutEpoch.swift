import CPrefetch

/// The per-epoch constants of the gradient.
struct EpochContext: Sendable {
    let count: Int
    let dimension: Int
    let epoch: Double
    /// The learning rate α in every lane.
    let rate: SIMD8<Float>
    let b: Float
    /// The attractive coefficient of an edge's pull and the repulsive one of a negative sample's push.
    let pull: EdgeForce
    let push: EdgeForce

    init(count: Int, dimension: Int, epoch: Double, alpha: Float, curve: MembershipCurve, repulsion: Float) {
        self.count = count
        self.dimension = dimension
        self.epoch = epoch
        rate = SIMD8(repeating: alpha)
        b = curve.b
        // d^(2b−2) = d^2b / d²; the tiny offset keeps 0/0 out of coincident ends (their force is 0).
        pull = EdgeForce(powerScale: -2 * curve.a * curve.b, constant: 0, offset: .leastNormalMagnitude, a: curve.a)
        push = EdgeForce(powerScale: 0, constant: 2 * repulsion * curve.b, offset: 0.001, a: curve.a)
    }

    /// Moves the heads of `groups` groups of eight lanes (per group, `dimension` vectors, one per
    /// axis) towards or away from `far` by `force`, lanes where `active` is 0 not at all, and
    /// leaves the moves in `moves`. `squared` is scratch, one vector per group.
    ///
    /// Pull: −2ab·d^(2b−2) / (a·d^2b + 1); push: 2γb / ((0.001 + d²)(a·d^2b + 1)); each move
    /// clipped, then scaled by the learning rate. Phase by phase over the groups, whose chains are
    /// independent, so that the processor overlaps them. Not inlined, and fed through memory:
    /// inlined into the kernel, the compiler took these vectors apart into single lanes.
    @inline(never)
    func move(_ heads: UnsafeMutablePointer<SIMD8<Float>>, from far: UnsafePointer<SIMD8<Float>>,
              moves: UnsafeMutablePointer<SIMD8<Float>>, squared: UnsafeMutablePointer<SIMD8<Float>>, groups: Int,
              force: EdgeForce, active: UnsafePointer<SIMD8<Float>>) {
        var axis = 0
        for group in 0..<groups {
            var sum = SIMD8<Float>()
            for _ in 0..<dimension {
                let difference = heads[axis] - far[axis]
                moves[axis] = difference
                sum.addProduct(difference, difference)
                axis &+= 1
            }
            squared[group] = sum
        }
        axis = 0
        for group in 0..<groups {
            let power = fastPower(squared[group], b)
            let coefficients = (force.powerScale * power + force.constant)
                / ((squared[group] + force.offset) * force.one.addingProduct(force.a, power)) * active[group]
            for _ in 0..<dimension {
                let move = clip(coefficients * moves[axis]) * rate
                moves[axis] = move
                heads[axis] += move
                axis &+= 1
            }
        }
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
}

/// force coefficient = (powerScale·d^2b + constant) / ((d² + offset)(a·d^2b + 1)), its constants
/// repeated in every lane: the compiler splits mixed scalar and vector arithmetic into single lanes.
struct EdgeForce: Sendable {
    let powerScale: SIMD8<Float>
    let constant: SIMD8<Float>
    let offset: SIMD8<Float>
    let a: SIMD8<Float>
    let one = SIMD8<Float>(repeating: 1)

    init(powerScale: Float, constant: Float, offset: Float, a: Float) {
        self.powerScale = SIMD8(repeating: powerScale)
        self.constant = SIMD8(repeating: constant)
        self.offset = SIMD8(repeating: offset)
        self.a = SIMD8(repeating: a)
    }
}

/// Raw views of the optimiser's state for one epoch; see LayoutOptimizer for who may touch what.
struct EpochBuffers {
    let live: UnsafeMutablePointer<Float>
    let snapshot: UnsafePointer<Float>
    /// shardCount × count × dimension moves of edges' tails, applied at the end of the epoch.
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

    static let laneCount = 8
    /// Groups of lanes worked on side by side: each group's moves form a chain, one waiting on the
    /// last, and the processor overlaps independent chains.
    static let groupCount = 4

    /// Runs one epoch of the due edges in `edges`, whose heads are the vertices in `owned`.
    ///
    /// The due edges are cut into runs, one per vector lane, each starting at a new head, so no two
    /// lanes ever hold the same head. Each step takes the next edge of every run and works through
    /// them side by side, as umap-learn works through one: the pull, then the negative samples one
    /// after another, each from where the last one left the head. Everything is lane by lane, so no
    /// step adds across lanes.
    func run(edges: Range<Int>, owned: Range<Int>, shard: Int, context c: EpochContext) {
        let dueEdges = due + edges.lowerBound
        let dueCount = collectDue(edges, into: dueEdges, epoch: c.epoch)
        let groups = Self.groupCount, dimension = c.dimension
        let tailMoves = deferred + shard * c.count * dimension
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * groups * Self.laneCount) { cursorScratch in
            let lanes = LaneCursors(dueEdges, count: dueCount, groups: groups, dimension: dimension,
                                    scratch: cursorScratch.baseAddress!)
            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: groups * (3 * dimension + 2)) { vectors in
                withUnsafeTemporaryAllocation(of: LaneGenerators.self, capacity: groups) { generators in
                    withUnsafeTemporaryAllocation(of: LaneEdges.self, capacity: groups) { steps in
                        withUnsafeTemporaryAllocation(of: LaneRows.self, capacity: groups) { upcoming in
                            let v = vectors.baseAddress!
                            let scratch = StepScratch(heads: v, far: v + groups * dimension, moves: v + 2 * groups * dimension,
                                                      squared: v + 3 * groups * dimension, active: v + (3 * dimension + 1) * groups,
                                                      generators: generators.baseAddress!, upcoming: upcoming.baseAddress!)
                            while lanes.next(into: steps.baseAddress!) {
                                step(steps.baseAddress!, scratch: scratch, owned: owned, tailMoves: tailMoves, context: c)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Vectors of a step, per group: heads, far ends and moves (`dimension` each), then squared
    /// distances and active lanes (one each).
    struct StepScratch {
        let heads: UnsafeMutablePointer<SIMD8<Float>>
        let far: UnsafeMutablePointer<SIMD8<Float>>
        let moves: UnsafeMutablePointer<SIMD8<Float>>
        let squared: UnsafeMutablePointer<SIMD8<Float>>
        let active: UnsafeMutablePointer<SIMD8<Float>>
        /// The groups' head generators.
        let generators: UnsafeMutablePointer<LaneGenerators>
        /// The groups' rows for the next negative sample.
        let upcoming: UnsafeMutablePointer<LaneRows>
    }

    /// One edge per lane in every group; `LaneEdges.active` says which lanes have one.
    @inline(__always)
    private func step(_ steps: UnsafePointer<LaneEdges>, scratch s: StepScratch, owned: Range<Int>,
                      tailMoves: UnsafeMutablePointer<Float>, context c: EpochContext) {
        let dimension = c.dimension, groups = Self.groupCount
        let ownedRows = (owned.lowerBound * dimension)..<(owned.upperBound * dimension)
        var samples: Int32 = 0
        for group in 0..<groups {
            let edges = steps[group]
            let base = group * dimension
            for axis in 0..<dimension { s.heads[base + axis] = edges.headRows.gather(live + axis) }
            // The pull. A tail this task owns is read live, any other as it was at the start of the
            // epoch; its move waits for the end of the epoch, as another lane may hold it as its head.
            let liveTails = edges.tailRows.laneMask(inside: ownedRows)
            for axis in 0..<dimension {
                s.far[base + axis] = blend(live: edges.tailRows.gather(live + axis),
                                           snapshot: edges.tailRows.gather(snapshot + axis), where: liveTails)
            }
            s.active[group] = edges.active
            samples = max(samples, edges.negatives.max())
        }
        c.move(s.heads, from: s.far, moves: s.moves, squared: s.squared, groups: groups, force: c.pull, active: s.active)
        for group in 0..<groups {
            for axis in 0..<dimension { steps[group].tailRows.subtract(s.moves[group * dimension + axis], from: tailMoves + axis) }
        }

        // The pushes, from random vertices drawn by each head's own generator.
        let generators = s.generators
        for group in 0..<groups { (generators + group).initialize(to: LaneGenerators(self.generators, edges: steps[group])) }
        // Each sample's random rows are drawn one sample early and requested from memory then: the
        // gathers otherwise waited on a cache miss per lane once the vertices outgrow the caches.
        let upcoming = s.upcoming
        @inline(__always)
        func drawAhead(_ group: Int) {
            upcoming[group] = generators[group].draw(count: c.count, dimension: dimension)
            upcoming[group].prefetch(snapshot)
        }
        if samples > 0 {
            for group in 0..<groups { drawAhead(group) }
        }
        for sample in 0..<Int(samples) {
            for group in 0..<groups {
                // All ones where sample < negatives (both small and non-negative; 0 in idle lanes).
                s.active[group] = ((SIMD8(repeating: Int32(sample)) &- steps[group].negatives) &>> 31).floatMask
                let rows = upcoming[group]
                for axis in 0..<dimension { s.far[group * dimension + axis] = rows.gather(snapshot + axis) }
                if sample + 1 < samples { drawAhead(group) }
            }
            c.move(s.heads, from: s.far, moves: s.moves, squared: s.squared, groups: groups, force: c.push, active: s.active)
        }
        // Idle lanes point at row 0, which an active lane may be moving: only active lanes write.
        for group in 0..<groups {
            let edges = steps[group]
            generators[group].store(edges: edges)
            for axis in 0..<dimension { edges.headRows.scatter(s.heads[group * dimension + axis], to: live + axis, active: edges.active) }
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

    static let idle = DueEdge(head: 0, tail: 0, negatives: 0)
}

/// The edges of one group in one step, one per lane; lanes whose run has ended hold `DueEdge.idle`.
struct LaneEdges {
    typealias Edges = (DueEdge, DueEdge, DueEdge, DueEdge, DueEdge, DueEdge, DueEdge, DueEdge)
    let edges: Edges
    /// 1 in the lanes that hold an edge, 0 in the others.
    let active: SIMD8<Float>
    let negatives: SIMD8<Int32>
    /// Where the heads and tails are; an idle lane reads row 0 and moves nothing.
    let headRows: LaneRows
    let tailRows: LaneRows

    init(_ e: Edges, active: SIMD8<Float>, dimension: Int) {
        edges = e
        self.active = active
        negatives = SIMD8(e.0.negatives, e.1.negatives, e.2.negatives, e.3.negatives,
                          e.4.negatives, e.5.negatives, e.6.negatives, e.7.negatives)
        headRows = LaneRows(e.0.head, e.1.head, e.2.head, e.3.head, e.4.head, e.5.head, e.6.head, e.7.head, dimension: dimension)
        tailRows = LaneRows(e.0.tail, e.1.tail, e.2.tail, e.3.tail, e.4.tail, e.5.tail, e.6.tail, e.7.tail, dimension: dimension)
    }
}

/// Walks runs of the due list side by side, eight per group. Runs are cut where the head changes,
/// so a head's edges all stay in one lane and in order.
struct LaneCursors {
    private let list: UnsafeMutablePointer<DueEdge>
    private let groups: Int
    private let dimension: Int
    /// Per run, the next edge and the end; the caller's memory, two slots per run.
    private let positions: UnsafeMutablePointer<Int>
    private let ends: UnsafeMutablePointer<Int>

    init(_ list: UnsafeMutablePointer<DueEdge>, count: Int, groups: Int, dimension: Int, scratch: UnsafeMutablePointer<Int>) {
        self.list = list
        self.groups = groups
        self.dimension = dimension
        let runs = groups * EpochBuffers.laneCount
        positions = scratch
        ends = scratch + runs
        var start = 0
        for run in 0..<runs {
            var end = max(start, count * (run + 1) / runs)
            while end > start && end < count && list[end].head == list[end - 1].head { end += 1 }
            positions[run] = start
            ends[run] = end
            start = end
        }
    }

    /// Writes the next edge of every run into `steps`, a group at a time; false once all runs are done.
    func next(into steps: UnsafeMutablePointer<LaneEdges>) -> Bool {
        var any = false
        for group in 0..<groups {
            let position = positions + group &* EpochBuffers.laneCount, end = ends + group &* EpochBuffers.laneCount
            @inline(__always)
            func take(_ lane: Int) -> (DueEdge, Float) {
                guard position[lane] < end[lane] else { return (.idle, 0) }
                // Thirty-two runs are read side by side, more streams than the hardware follows.
                soundmap_prefetch_line(list + (position[lane] &+ 16))
                position[lane] &+= 1
                return (list[position[lane] &- 1], 1)
            }
            let (e0, a0) = take(0), (e1, a1) = take(1), (e2, a2) = take(2), (e3, a3) = take(3)
            let (e4, a4) = take(4), (e5, a5) = take(5), (e6, a6) = take(6), (e7, a7) = take(7)
            let active = SIMD8(a0, a1, a2, a3, a4, a5, a6, a7)
            any = any || a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 > 0
            steps[group] = LaneEdges((e0, e1, e2, e3, e4, e5, e6, e7), active: active, dimension: dimension)
        }
        return any
    }
}

/// Eight rows of a count × dimension array, as element offsets: named values, not a vector, as
/// a vector's lane chosen at run time goes through memory.
struct LaneRows {
    let r0, r1, r2, r3, r4, r5, r6, r7: Int

    init(_ v0: Int32, _ v1: Int32, _ v2: Int32, _ v3: Int32, _ v4: Int32, _ v5: Int32, _ v6: Int32, _ v7: Int32, dimension: Int) {
        (r0, r1, r2, r3) = (Int(v0) &* dimension, Int(v1) &* dimension, Int(v2) &* dimension, Int(v3) &* dimension)
        (r4, r5, r6, r7) = (Int(v4) &* dimension, Int(v5) &* dimension, Int(v6) &* dimension, Int(v7) &* dimension)
    }

    init(offsets r0: Int, _ r1: Int, _ r2: Int, _ r3: Int, _ r4: Int, _ r5: Int, _ r6: Int, _ r7: Int) {
        (self.r0, self.r1, self.r2, self.r3, self.r4, self.r5, self.r6, self.r7) = (r0, r1, r2, r3, r4, r5, r6, r7)
    }

    @inline(__always)
    func gather(_ base: UnsafePointer<Float>) -> SIMD8<Float> {
        SIMD8(base[r0], base[r1], base[r2], base[r3], base[r4], base[r5], base[r6], base[r7])
    }

    @inline(__always)
    func gather(_ base: UnsafeMutablePointer<Float>) -> SIMD8<Float> { gather(UnsafePointer(base)) }

    /// Starts loading the eight rows into the caches; the caller gathers them later.
    @inline(__always)
    func prefetch(_ base: UnsafePointer<Float>) {
        for offset in [r0, r1, r2, r3, r4, r5, r6, r7] { soundmap_prefetch_line(base + offset) }
    }

    @inline(__always)
    func scatter(_ values: SIMD8<Float>, to base: UnsafeMutablePointer<Float>, active: SIMD8<Float>) {
        if active[0] != 0 { base[r0] = values[0] }
        if active[1] != 0 { base[r1] = values[1] }
        if active[2] != 0 { base[r2] = values[2] }
        if active[3] != 0 { base[r3] = values[3] }
        if active[4] != 0 { base[r4] = values[4] }
        if active[5] != 0 { base[r5] = values[5] }
        if active[6] != 0 { base[r6] = values[6] }
        if active[7] != 0 { base[r7] = values[7] }
    }

    /// One lane after another, so lanes that share a row both count.
    @inline(__always)
    func subtract(_ values: SIMD8<Float>, from base: UnsafeMutablePointer<Float>) {
        base[r0] -= values[0]; base[r1] -= values[1]; base[r2] -= values[2]; base[r3] -= values[3]
        base[r4] -= values[4]; base[r5] -= values[5]; base[r6] -= values[6]; base[r7] -= values[7]
    }

    /// All ones in the lanes whose row offset lies in `range`, by integer vector arithmetic: a
    /// branch per lane would go either way at random.
    @inline(__always)
    func laneMask(inside range: Range<Int>) -> SIMD8<Int32> {
        let rows = SIMD8<Int32>(Int32(truncatingIfNeeded: r0), Int32(truncatingIfNeeded: r1), Int32(truncatingIfNeeded: r2),
                                Int32(truncatingIfNeeded: r3), Int32(truncatingIfNeeded: r4), Int32(truncatingIfNeeded: r5),
                                Int32(truncatingIfNeeded: r6), Int32(truncatingIfNeeded: r7))
        // Negative, so with the sign bit set, below the range or at or past its end.
        let outside = (rows &- Int32(range.lowerBound)) | (Int32(range.upperBound - 1) &- rows)
        return ~(outside &>> 31)
    }
}

/// The eight lanes' head generators, read at the start of a step and written back at its end.
struct LaneGenerators {
    private let pointer: UnsafeMutablePointer<UInt64>
    private var g0, g1, g2, g3, g4, g5, g6, g7: UInt64

    init(_ pointer: UnsafeMutablePointer<UInt64>, edges lanes: LaneEdges) {
        self.pointer = pointer
        let e = lanes.edges
        (g0, g1, g2, g3) = (pointer[Int(e.0.head)], pointer[Int(e.1.head)], pointer[Int(e.2.head)], pointer[Int(e.3.head)])
        (g4, g5, g6, g7) = (pointer[Int(e.4.head)], pointer[Int(e.5.head)], pointer[Int(e.6.head)], pointer[Int(e.7.head)])
    }

    func store(edges lanes: LaneEdges) {
        let e = lanes.edges, active = lanes.active
        if active[0] != 0 { pointer[Int(e.0.head)] = g0 }
        if active[1] != 0 { pointer[Int(e.1.head)] = g1 }
        if active[2] != 0 { pointer[Int(e.2.head)] = g2 }
        if active[3] != 0 { pointer[Int(e.3.head)] = g3 }
        if active[4] != 0 { pointer[Int(e.4.head)] = g4 }
        if active[5] != 0 { pointer[Int(e.5.head)] = g5 }
        if active[6] != 0 { pointer[Int(e.6.head)] = g6 }
        if active[7] != 0 { pointer[Int(e.7.head)] = g7 }
    }

    /// A random row for every lane, from that lane's generator. Lanes with no sample due draw too
    /// (their force is zero): a branch per lane would be mispredicted where the lanes' numbers of
    /// negative samples differ.
    @inline(__always)
    mutating func draw(count: Int, dimension: Int) -> LaneRows {
        @inline(__always)
        func row(_ state: inout UInt64) -> Int {
            // xorshift64*: a few cycles per draw. Multiply-shift maps its top 32 bits onto
            // 0..<count without a division (Lemire 2019).
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((((state &* 0x2545_F491_4F6C_DD1D) >> 32) &* UInt64(count)) >> 32) &* dimension
        }
        return LaneRows(offsets: row(&g0), row(&g1), row(&g2), row(&g3), row(&g4), row(&g5), row(&g6), row(&g7))
    }
}

extension SIMD8<Int32> {
    /// 1 where the lane is all ones (a comparison's true), 0 where it is zero.
    var floatMask: SIMD8<Float> {
        unsafeBitCast(self & Int32(bitPattern: Float(1).bitPattern), to: SIMD8<Float>.self)
    }
}

/// `live` in the lanes of `mask`, `snapshot` in the others, by bit operations.
@inline(__always)
func blend(live: SIMD8<Float>, snapshot: SIMD8<Float>, where mask: SIMD8<Int32>) -> SIMD8<Float> {
    let chosen = (unsafeBitCast(live, to: SIMD8<Int32>.self) & mask) | (unsafeBitCast(snapshot, to: SIMD8<Int32>.self) & ~mask)
    return unsafeBitCast(chosen, to: SIMD8<Float>.self)
}
