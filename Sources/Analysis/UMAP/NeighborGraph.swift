/// The k nearest neighbours of every point, nearest first, each point its own first neighbour.
struct NeighborGraph: Sendable, Equatable {
    let count: Int
    /// Neighbours per point (umap's n_neighbors, self included).
    let k: Int
    /// Row-major count × k point indices.
    var indices: [Int32]
    /// Row-major count × k distances in the input metric, ascending along a row.
    var distances: [Float]
}

extension NeighborGraph {
    /// The graph of points that were searched in `order` (point i of the search was point `order[i]`),
    /// in the original numbering.
    func renumbered(from order: [Int32]) -> NeighborGraph {
        var graph = self
        for (row, original) in order.enumerated() {
            for slot in 0..<k {
                graph.indices[Int(original) * k + slot] = order[Int(indices[row * k + slot])]
                graph.distances[Int(original) * k + slot] = distances[row * k + slot]
            }
        }
        return graph
    }
}

/// Fixed-size max-heaps of candidate neighbours, one per point, kept in flat buffers.
///
/// The root of each heap is its farthest neighbour, so a candidate is admitted with one comparison.
/// Distances are squared euclidean between prepared rows until `finished` converts them.
struct NeighborHeaps {
    let count: Int
    let k: Int
    var indices: [Int32]
    var distances: [Float]
    /// Whether an entry arrived since NN-descent last sampled it ("new" in Dong et al.).
    var isNew: [Bool]

    init(count: Int, k: Int) {
        self.count = count
        self.k = k
        indices = [Int32](repeating: -1, count: count * k)
        distances = [Float](repeating: .infinity, count: count * k)
        isNew = [Bool](repeating: false, count: count * k)
    }

    /// The graph with each row sorted, self forced first at distance 0, distances in the metric.
    ///
    /// Every row must hold k − 1 points other than itself.
    func finished(points: MetricPoints) -> NeighborGraph {
        var graph = NeighborGraph(count: count, k: k, indices: indices, distances: distances)
        for row in 0..<count {
            let range = (row * k)..<((row + 1) * k)
            let others = range.filter { indices[$0] != Int32(row) && indices[$0] >= 0 }
                .sorted { (distances[$0], indices[$0]) < (distances[$1], indices[$1]) }
                .prefix(k - 1)
            precondition(others.count == k - 1, "row \(row) has \(others.count) of \(k - 1) neighbours")
            graph.indices[range.lowerBound] = Int32(row)
            graph.distances[range.lowerBound] = 0
            for (offset, slot) in others.enumerated() {
                graph.indices[range.lowerBound + 1 + offset] = indices[slot]
                graph.distances[range.lowerBound + 1 + offset] = points.distance(fromSquared: distances[slot])
            }
        }
        return graph
    }
}

extension NeighborHeaps {
    /// Runs `body` with raw pointers to the three flat buffers.
    mutating func withPointers<Result>(_ body: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Float>,
                                                UnsafeMutablePointer<Bool>) -> Result) -> Result {
        indices.withUnsafeMutableBufferPointer { indices in
            distances.withUnsafeMutableBufferPointer { distances in
                isNew.withUnsafeMutableBufferPointer { flags in
                    body(indices.baseAddress!, distances.baseAddress!, flags.baseAddress!)
                }
            }
        }
    }
}

/// Offers `candidate` at `distance` to the heap of k entries at `distances`/`indices`; true if admitted.
///
/// Rejects candidates no nearer than the current farthest and candidates already present.
@inline(__always)
@discardableResult
func pushNeighbor(_ candidate: Int32, distance: Float, isNew: Bool, k: Int,
                  indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>,
                  flags: UnsafeMutablePointer<Bool>?) -> Bool {
    guard distance < distances[0] else { return false }
    for slot in 0..<k where indices[slot] == candidate { return false }
    // Replace the root, then sift down.
    var parent = 0
    while true {
        let left = 2 * parent + 1, right = left + 1
        var larger = parent
        var largest = distance
        if left < k, distances[left] > largest { larger = left; largest = distances[left] }
        if right < k, distances[right] > largest { larger = right }
        if larger == parent { break }
        distances[parent] = distances[larger]
        indices[parent] = indices[larger]
        flags?[parent] = flags![larger]
        parent = larger
    }
    distances[parent] = distance
    indices[parent] = candidate
    flags?[parent] = isNew
    return true
}
