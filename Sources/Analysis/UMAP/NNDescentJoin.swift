import ModelCore

/// A proposed neighbour pair found nearer than one of its two ends' farthest neighbour.
struct PairUpdate {
    let first: Int32
    let second: Int32
    let distance: Float
}

/// NN-descent's heaps under construction and the two-pass join that improves them.
struct NNDescentState {
    let points: MetricPoints
    var heaps: NeighborHeaps

    init(points: MetricPoints, k: Int) {
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

    /// Evaluates all pairs within each group's first list and between its first and second lists,
    /// then offers the improving pairs to both ends' heaps. Returns how many heap entries changed.
    @discardableResult
    mutating func join(groups: Range<Int>, lists: (Int) -> ([Int32], [Int32])) -> Int {
        let k = heaps.k, dimension = points.dimension
        let groupLists = groups.map(lists)
        // Pieces are contiguous runs of groups and come back in order, so the updates are listed in
        // group order however the work was split.
        let updates = points.rows.withUnsafeBufferPointer { rows in
            heaps.distances.withUnsafeBufferPointer { distances in
                Parallel.mapChunks(of: groupLists.count) { pieceGroups in
                    var found: [PairUpdate] = []
                    func consider(_ p: Int32, _ q: Int32, _ squared: Float) {
                        if p != q, squared < max(distances[Int(p) * k], distances[Int(q) * k]) {
                            found.append(PairUpdate(first: p, second: q, distance: squared))
                        }
                    }
                    /// p against each of `others`, four at a time: p's row is then loaded once for four distances.
                    func consider(_ p: Int32, _ others: UnsafeBufferPointer<Int32>) {
                        let x = rows.baseAddress! + Int(p) * dimension
                        var index = 0
                        while index + 4 <= others.count {
                            let squared = squaredDistances(x, rows.baseAddress!, rows: SIMD4(others[index], others[index + 1],
                                                                                             others[index + 2], others[index + 3]),
                                                           dimension: dimension)
                            for lane in 0..<4 { consider(p, others[index + lane], squared[lane]) }
                            index += 4
                        }
                        for q in others[index...] {
                            consider(p, q, squaredDistance(x, rows.baseAddress! + Int(q) * dimension, dimension: dimension))
                        }
                    }
                    for group in pieceGroups {
                        let (fresh, old) = groupLists[group]
                        fresh.withUnsafeBufferPointer { fresh in
                            old.withUnsafeBufferPointer { old in
                                for (position, p) in fresh.enumerated() {
                                    consider(p, UnsafeBufferPointer(rebasing: fresh[(position + 1)...]))
                                    consider(p, old)
                                }
                            }
                        }
                    }
                    return found
                }
            }
        }
        return apply(updates)
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
        let k = heaps.k, count = points.count, dimension = points.dimension
        var random = SeededRandom(seed: seed ^ 0xF111_E0F1)
        points.rows.withUnsafeBufferPointer { rows in
            heaps.withPointers { indices, distances, flags in
                for row in 0..<count {
                    while (0..<k).contains(where: { indices[row * k + $0] < 0 }) {
                        let candidate = Int.random(in: 0..<count, using: &random)
                        let squared = squaredDistance(rows.baseAddress! + row * dimension,
                                                      rows.baseAddress! + candidate * dimension, dimension: dimension)
                        pushNeighbor(Int32(candidate), distance: squared, isNew: true, k: k,
                                     indices: indices + row * k, distances: distances + row * k, flags: flags + row * k)
                    }
                }
            }
        }
    }
}
