import ModelCore

extension KDTree {
    /// The k nearest tree points of every tree point (itself included), in tree order: row `i` is the
    /// point at tree position `i` and its neighbours are tree positions. Runs on all cores.
    func nearestNeighbors(k: Int) -> HDBSCAN.NeighborTable {
        precondition(k >= 1 && k <= count)
        var indices = [Int](repeating: 0, count: count * k)
        var distances = [Double](repeating: 0, count: count * k)
        points.withUnsafeBufferPointer { points in
            lowerBounds.withUnsafeBufferPointer { lower in
                upperBounds.withUnsafeBufferPointer { upper in
                    indices.withUnsafeMutableBufferPointer { indices in
                        distances.withUnsafeMutableBufferPointer { distances in
                            let (indices, distances) = (indices, distances)
                            Parallel.forEachChunk(of: count, minimumChunk: 256) { queries in
                                for query in queries {
                                    let nearest = HDBSCAN.NearestList(
                                        distances: UnsafeMutableBufferPointer(rebasing: distances[(query * k)..<((query + 1) * k)]),
                                        indices: UnsafeMutableBufferPointer(rebasing: indices[(query * k)..<((query + 1) * k)]))
                                    let point = points.baseAddress! + query * dimension
                                    search(0, for: point, into: nearest, points, lower, upper)
                                }
                            }
                        }
                    }
                }
            }
        }
        return HDBSCAN.NeighborTable(k: k, indices: indices, squaredDistances: distances)
    }

    /// Depth first, nearer child first, skipping boxes farther than the current k-th neighbour.
    private func search(_ node: Int, for point: UnsafePointer<Double>, into nearest: HDBSCAN.NearestList,
                        _ points: UnsafeBufferPointer<Double>, _ lower: UnsafeBufferPointer<Double>,
                        _ upper: UnsafeBufferPointer<Double>) {
        if isLeaf(node) {
            for candidate in nodeStart[node]..<nodeEnd[node] {
                nearest.insert(HDBSCAN.squaredDistance(point, points.baseAddress! + candidate * dimension,
                                                       dimension: dimension), candidate)
            }
            return
        }
        let left = 2 * node + 1
        let right = left + 1
        let toLeft = Self.squaredDistance(from: point, toBoxOf: left, dimension: dimension, lower: lower, upper: upper)
        let toRight = Self.squaredDistance(from: point, toBoxOf: right, dimension: dimension, lower: lower, upper: upper)
        let (near, nearDistance, far, farDistance) = toLeft <= toRight
            ? (left, toLeft, right, toRight) : (right, toRight, left, toLeft)
        if nearDistance < nearest.bound { search(near, for: point, into: nearest, points, lower, upper) }
        if farDistance < nearest.bound { search(far, for: point, into: nearest, points, lower, upper) }
    }
}
