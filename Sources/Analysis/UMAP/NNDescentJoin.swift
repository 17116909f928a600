import Dispatch
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
    /// Fixed, so that the split of work (and with it the result) does not depend on the core count.
    let chunkCount = 16

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
        let k = heaps.k, dimension = points.dimension, chunkCount = chunkCount
        let groupLists = groups.map(lists)
        var updates = [[PairUpdate]](repeating: [], count: chunkCount)
        points.rows.withUnsafeBufferPointer { rows in
            heaps.distances.withUnsafeBufferPointer { distances in
                updates.withUnsafeMutableBufferPointer { updates in
                    let shared = UncheckedSendable(value: (rows, distances, updates, groupLists))
                    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                        let (rows, distances, updates, groups) = shared.value
                        var found: [PairUpdate] = []
                        func consider(_ p: Int32, _ q: Int32) {
                            let squared = squaredDistance(rows.baseAddress! + Int(p) * dimension,
                                                          rows.baseAddress! + Int(q) * dimension, dimension: dimension)
                            if squared < max(distances[Int(p) * k], distances[Int(q) * k]) {
                                found.append(PairUpdate(first: p, second: q, distance: squared))
                            }
                        }
                        for group in stride(from: chunk, to: groups.count, by: chunkCount) {
                            let (fresh, old) = groups[group]
                            for (position, p) in fresh.enumerated() {
                                for q in fresh[(position + 1)...] where p != q { consider(p, q) }
                                for q in old where p != q { consider(p, q) }
                            }
                        }
                        updates[chunk] = found
                    }
                }
            }
        }
        return apply(updates)
    }

    /// Offers every update to the heaps of both its ends; each chunk of rows is owned by one task.
    private mutating func apply(_ updates: [[PairUpdate]]) -> Int {
        let k = heaps.k, count = points.count, chunkCount = chunkCount
        var changes = [Int](repeating: 0, count: chunkCount)
        heaps.withPointers { indices, distances, flags in
            let pointers = UncheckedSendable(value: (indices, distances, flags))
            let counters = UncheckedSendable(value: changes.withUnsafeMutableBufferPointer { $0 })
            let updates = UncheckedSendable(value: updates)
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let (indices, distances, flags) = pointers.value
                let owned = (count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)
                var changed = 0
                func offer(_ row: Int32, _ candidate: Int32, _ distance: Float) {
                    guard owned.contains(Int(row)) else { return }
                    let base = Int(row) * k
                    if pushNeighbor(candidate, distance: distance, isNew: true, k: k,
                                    indices: indices + base, distances: distances + base, flags: flags + base) {
                        changed += 1
                    }
                }
                for list in updates.value {
                    for update in list {
                        offer(update.first, update.second, update.distance)
                        offer(update.second, update.first, update.distance)
                    }
                }
                counters.value[chunk] = changed
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
