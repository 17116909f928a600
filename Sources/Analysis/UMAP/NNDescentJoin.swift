import CPrefetch
import ModelCore

/// A proposed neighbour pair found nearer than one of its two ends' farthest neighbour.
struct PairUpdate {
    let first: Int32
    let second: Int32
    let distance: Float
}

/// NN-descent's heaps under construction and the two-pass join that improves them.
struct NNDescentState {
    let points: SearchRows
    var heaps: NeighborHeaps

    init(points: SearchRows, k: Int) {
        self.points = points
        heaps = NeighborHeaps(count: points.count, k: k)
        // Each point is its own neighbour at −∞: never displaced, and finished() reports it first.
        heaps.withPointers { indices, distances, flags in
            for row in 0..<points.count {
                pushNeighbor(Int32(row), distance: -.infinity, isNew: false, k: k,
                             indices: indices + row * k, distances: distances + row * k, flags: flags + row * k)
            }
        }
    }

    /// Evaluates all pairs within each group's new points and between its new and old points, then
    /// offers the improving pairs to both ends' heaps. Returns how many heap entries changed.
    @discardableResult
    mutating func join(_ groups: JoinGroups) -> Int {
        let k = heaps.k
        // Pieces are contiguous runs of groups and come back in order, so the updates are listed in
        // group order however the work was split.
        let updates = points.withScan { prototype in
            heaps.distances.withUnsafeBufferPointer { distances in
                groups.members.withUnsafeBufferPointer { members in
                    Parallel.mapChunks(of: groups.count) { pieceGroups in
                        var scan = prototype
                        var found: [PairUpdate] = []
                        scan.visit(pieceGroups, of: groups, members: members.baseAddress!, farthest: { distances[Int($0) * k] }) {
                            found.append(PairUpdate(first: $0, second: $1, distance: $2))
                        }
                        return found
                    }
                }
            }
        }
        return apply(updates)
    }

    /// `join` for groups that share no point, such as the leaves of one tree: each heap then hears
    /// only from its own group, so the pairs go straight into the heaps, in parallel, with no list
    /// of updates in between, and every heap sees the offers `join` would make, in the same order.
    @discardableResult
    mutating func joinDisjoint(_ groups: JoinGroups) -> Int {
        let k = heaps.k
        let changes = points.withScan { prototype in
            groups.members.withUnsafeBufferPointer { members in
                heaps.withPointers { indices, distances, flags in
                    Parallel.mapChunks(of: groups.count) { pieceGroups in
                        var scan = prototype
                        var changed = 0
                        func offer(_ row: Int32, _ candidate: Int32, _ distance: Float) {
                            let base = Int(row) * k
                            if pushNeighbor(candidate, distance: distance, isNew: true, k: k,
                                            indices: indices + base, distances: distances + base, flags: flags + base) {
                                changed += 1
                            }
                        }
                        scan.visit(pieceGroups, of: groups, members: members.baseAddress!, farthest: { distances[Int($0) * k] }) {
                            offer($0, $1, $2)
                            offer($1, $0, $2)
                        }
                        return changed
                    }
                }
            }
        }
        return changes.reduce(0, +)
    }

    /// Offers every update to the heaps of both its ends. Each worker owns a range of rows and reads
    /// all updates in order, so every heap sees the same sequence of offers however many cores run.
    private mutating func apply(_ updates: [[PairUpdate]]) -> Int {
        let k = heaps.k, count = points.count, workers = Parallel.cores
        var changes = [Int](repeating: 0, count: workers)
        heaps.withPointers { indices, distances, flags in
            changes.withUnsafeMutableBufferPointer { changes in
                Parallel.run(workers: workers) { worker in
                    let owned = (count * worker / workers)..<(count * (worker + 1) / workers)
                    var changed = 0
                    func offer(_ row: Int32, _ candidate: Int32, _ distance: Float) {
                        guard owned.contains(Int(row)) else { return }
                        let base = Int(row) * k
                        if pushNeighbor(candidate, distance: distance, isNew: true, k: k,
                                        indices: indices + base, distances: distances + base, flags: flags + base) {
                            changed += 1
                        }
                    }
                    for list in updates {
                        for update in list {
                            offer(update.first, update.second, update.distance)
                            offer(update.second, update.first, update.distance)
                        }
                    }
                    changes[worker] = changed
                }
            }
        }
        return changes.reduce(0, +)
    }

    /// Fills slots the forest left empty with random points, as pynndescent's random initialisation does.
    ///
    /// Terminates because count ≥ k distinct points exist.
    mutating func fillEmptySlots(seed: UInt64) {
        let k = heaps.k, count = points.count, points = self.points
        var random = SeededRandom(seed: seed ^ 0xF111_E0F1)
        heaps.withPointers { indices, distances, flags in
            for row in 0..<count {
                while (0..<k).contains(where: { indices[row * k + $0] < 0 }) {
                    let candidate = Int.random(in: 0..<count, using: &random)
                    pushNeighbor(Int32(candidate), distance: points.squaredDistance(row, candidate), isNew: true, k: k,
                                 indices: indices + row * k, distances: distances + row * k, flags: flags + row * k)
                }
            }
        }
    }
}

/// The distance tiles of NN-descent's joins, and the pairs they find.
struct PairScan {
    let rows: UnsafePointer<Float16>
    let rowLength: Int
    let squaredNorms: UnsafePointer<Float>
    /// Each member's farthest neighbour, then −∞ where a tile overhangs the list; reused across groups.
    private var limits: [Float] = []

    init(rows: UnsafePointer<Float16>, rowLength: Int, squaredNorms: UnsafePointer<Float>) {
        self.rows = rows
        self.rowLength = rowLength
        self.squaredNorms = squaredNorms
    }

    /// `visit(_:of:members:upcoming:farthest:found:)` for each group of `range` in turn, each one's
    /// rows requested from memory while the one before is worked on.
    ///
    /// A group's rows lie all over the points and come from memory the first time: the join ran at
    /// a third of the pace of its arithmetic, mostly waiting on memory. Requested a few lines per
    /// tile of the group before, they arrive in time more often than when requested two tiles
    /// ahead within their own group (joins of 200,000 points about 5 % faster).
    @inline(__always)
    mutating func visit(_ range: Range<Int>, of groups: JoinGroups, members: UnsafePointer<Int32>,
                        farthest: (Int32) -> Float, found: (Int32, Int32, Float) -> Void) {
        guard !range.isEmpty else { return }
        var upcoming = RowStream(group: range.lowerBound, of: groups, members: members, rows: rows, rowLength: rowLength)
        upcoming.finish()
        for group in range {
            upcoming = RowStream(group: group + 1 < range.upperBound ? group + 1 : nil, of: groups, members: members,
                                 rows: rows, rowLength: rowLength)
            visit(group, of: groups, members: members, upcoming: &upcoming, farthest: farthest, found: found)
            upcoming.finish()
        }
    }

    /// Calls `found(p, q, distance)` for every pair of the group's new points with each other and
    /// with its old points that is nearer than the farthest neighbour of p or of q, as `farthest`
    /// gives them at the start of the group; advances `upcoming` a little with every tile.
    @inline(__always)
    private mutating func visit(_ group: Int, of groups: JoinGroups, members: UnsafePointer<Int32>, upcoming: inout RowStream,
                                farthest: (Int32) -> Float, found: (Int32, Int32, Float) -> Void) {
        let rowLength = self.rowLength, rows = self.rows, norms = squaredNorms
        func row(_ point: Int32) -> UnsafePointer<Float16> { rows + Int(point) &* rowLength }
        // Lane 2i + j of a tile pairs point first + i with point second + j.
        let laneRow = SIMD8<Int32>(0, 0, 1, 1, 2, 2, 3, 3), laneColumn = SIMD8<Int32>(0, 1, 0, 1, 0, 1, 0, 1)
        let list = members + groups.starts[group]
        let freshCount = groups.freshEnds[group] - groups.starts[group]
        let total = groups.ends[group] - groups.starts[group]
        var tiles = 0
        for first in stride(from: 0, to: freshCount, by: 4) { tiles += (total - first) / 2 }
        upcoming.spread(over: tiles)
        // Read once per group rather than twice per pair from all over the heaps.
        limits.removeAll(keepingCapacity: true)
        for member in 0..<total { limits.append(farthest(list[member])) }
        limits.append(contentsOf: repeatElement(-.infinity, count: 4))
        limits.withUnsafeBufferPointer { limits in
            let limit = limits.baseAddress!
            // Tiles of four new points against two later points of the list; lanes a tile
            // covers twice or not at all (j ≤ i, or past the new points) are masked off.
            for first in stride(from: 0, to: freshCount, by: 4) {
                let height = min(4, freshCount - first)
                let a0 = row(list[first]), a1 = row(list[first + min(1, height - 1)])
                let a2 = row(list[first + min(2, height - 1)]), a3 = row(list[first + min(3, height - 1)])
                let rowLimits = SIMD8(limit[first], limit[first], limit[first + 1], limit[first + 1],
                                      limit[first + 2], limit[first + 2], limit[first + 3], limit[first + 3])
                func norm(_ offset: Int) -> Float { norms[Int(list[first + min(offset, height - 1)])] }
                let rowNorms = SIMD8(norm(0), norm(0), norm(1), norm(1), norm(2), norm(2), norm(3), norm(3))
                let rowsInTile = laneRow .< Int32(height)
                for second in stride(from: first + 1, to: total, by: 2) {
                    let width = min(2, total - second)
                    upcoming.advance()
                    let b0 = list[second], b1 = list[second + width - 1]
                    let products = halfDotProductTile(a0, a1, a2, a3, row(b0), row(b1), length: rowLength)
                    let (n0, n1) = (norms[Int(b0)], norms[Int(b1)])
                    var tile = rowNorms + SIMD8(n0, n1, n0, n1, n0, n1, n0, n1) - 2 * products
                    tile.replace(with: 0, where: tile .< 0)
                    var bound = SIMD8(limit[second], limit[second + 1], limit[second], limit[second + 1],
                                      limit[second], limit[second + 1], limit[second], limit[second + 1])
                    bound.replace(with: rowLimits, where: rowLimits .> bound)
                    var passes = (tile .< bound) .& rowsInTile
                    if second <= first + 3 {
                        passes .&= (laneColumn &+ Int32(second)) .> (laneRow &+ Int32(first))
                    }
                    if width < 2 { passes .&= laneColumn .== 0 }
                    guard any(passes) else { continue }
                    for lane in 0..<8 where passes[lane] {
                        let p = list[first + lane / 2], q = list[second + lane % 2]
                        if p != q { found(p, q, tile[lane]) }
                    }
                }
            }
        }
    }
}

extension SearchRows {
    /// Runs `body` with a scan of these rows.
    func withScan<Result>(_ body: (PairScan) -> Result) -> Result {
        rows.withUnsafeBufferPointer { rows in
            squaredNorms.withUnsafeBufferPointer { norms in
                body(PairScan(rows: rows.baseAddress!, rowLength: rowLength, squaredNorms: norms.baseAddress!))
            }
        }
    }
}

/// The rows of one join group, requested from memory a few cache lines at a time, spread evenly
/// over the tiles of the group before it.
struct RowStream {
    private let rows: UnsafePointer<Float16>
    private let members: UnsafePointer<Int32>
    private let memberCount: Int
    private let linesPerRow: Int
    private let valuesPerLine = 32
    private let rowLength: Int
    private var member = 0
    private var line = 0
    private var linesPerStep = 0

    /// The rows of `group`; none without a group.
    init(group: Int?, of groups: JoinGroups, members: UnsafePointer<Int32>, rows: UnsafePointer<Float16>, rowLength: Int) {
        self.rows = rows
        self.members = members + (group.map { groups.starts[$0] } ?? 0)
        // A group with no new point reads no row.
        memberCount = group.map { groups.freshEnds[$0] > groups.starts[$0] ? groups.ends[$0] - groups.starts[$0] : 0 } ?? 0
        linesPerRow = (rowLength + valuesPerLine - 1) / valuesPerLine
        self.rowLength = rowLength
    }

    /// Sets the pace so that `steps` calls of `advance` request every line.
    mutating func spread(over steps: Int) {
        let lines = memberCount * linesPerRow
        linesPerStep = (lines + steps - 1) / max(1, steps)
    }

    /// Requests the next few lines.
    @inline(__always)
    mutating func advance() {
        var budget = linesPerStep
        while budget > 0 && member < memberCount {
            soundmap_prefetch_line(rows + Int(members[member]) * rowLength + line * valuesPerLine)
            line += 1
            if line == linesPerRow { line = 0; member += 1 }
            budget -= 1
        }
    }

    /// Requests every line not yet requested.
    mutating func finish() {
        linesPerStep = .max
        advance()
    }
}

/// The point lists NN-descent joins: per group a run of `members` holding its new points, then its old ones.
struct JoinGroups {
    var members: [Int32]
    var starts: [Int]
    var freshEnds: [Int]
    var ends: [Int]

    var count: Int { starts.count }
}

extension JoinGroups {
    /// Leaves of `forest` as groups of new points, each point renumbered by `position`. The forest's
    /// flat member list already has the groups' layout: one renumbering pass, not an array per leaf.
    init(leaves: Range<Int>, of forest: RandomProjectionForest, renumberedBy position: [Int32]) {
        let first = forest.leafStarts[leaves.lowerBound], end = forest.leafStarts[leaves.upperBound]
        members = forest.members[first..<end].map { position[Int($0)] }
        starts = forest.leafStarts[leaves].map { $0 - first }
        freshEnds = forest.leafStarts[(leaves.lowerBound + 1)...leaves.upperBound].map { $0 - first }
        ends = freshEnds
    }
}
