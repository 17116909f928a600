import ModelCore

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

/// Fixed-size max-heaps of candidate neighbours, one per point, kept in flat buffers.
///
/// The root of each heap is its farthest neighbour, so a candidate is admitted with one comparison.
/// Distances are squared euclidean, between prepared rows or (in NN-descent) `SearchRows`, until
/// `finished` converts them.
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
    /// With `searchOrder`, the heaps come from a search of `SearchRows` in that order: heap row i and
    /// entries i stand for point `searchOrder[i]`, and each neighbour's distance is measured again on
    /// the prepared points. Without it, the heaps hold the prepared points' squared distances.
    /// Every row must hold k − 1 points other than itself.
    func finished(points: MetricPoints, searchOrder order: [Int32]? = nil) -> NeighborGraph {
        let k = self.k, count = self.count, dimension = points.dimension
        var graph = NeighborGraph(count: count, k: k, indices: [Int32](repeating: 0, count: count * k),
                                  distances: [Float](repeating: 0, count: count * k))
        graph.indices.withUnsafeMutableBufferPointer { graphIndices in
            graph.distances.withUnsafeMutableBufferPointer { graphDistances in
                points.rows.withUnsafeBufferPointer { rows in
                    nonisolated(unsafe) let graphIndices = graphIndices.baseAddress!, graphDistances = graphDistances.baseAddress!
                    Parallel.forEachChunk(of: count, minimumChunk: 1024) { chunk in
                        var others: [(squared: Float, point: Int32)] = []
                        for row in chunk {
                            let point = order.map { Int($0[row]) } ?? row
                            others.removeAll(keepingCapacity: true)
                            for slot in (row * k)..<((row + 1) * k) where indices[slot] != Int32(row) && indices[slot] >= 0 {
                                let neighbor = order.map { $0[Int(indices[slot])] } ?? indices[slot]
                                let squared = order == nil ? distances[slot]
                                    : squaredDistance(rows.baseAddress! + point * dimension,
                                                      rows.baseAddress! + Int(neighbor) * dimension, dimension: dimension)
                                others.append((squared, neighbor))
                            }
                            others.sort { ($0.squared, $0.point) < ($1.squared, $1.point) }
                            precondition(others.count >= k - 1, "row \(row) has \(others.count) of \(k - 1) neighbours")
                            let base = point * k
                            graphIndices[base] = Int32(point)
                            graphDistances[base] = 0
                            for (offset, other) in others.prefix(k - 1).enumerated() {
                                graphIndices[base + 1 + offset] = other.point
                                graphDistances[base + 1 + offset] = points.distance(fromSquared: other.squared)
                            }
                        }
                    }
                }
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
