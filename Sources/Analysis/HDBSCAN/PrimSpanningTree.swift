import ModelCore

extension HDBSCAN {
    /// Work (points × dimensions) below which one Prim step stays on one core: dispatching costs
    /// microseconds, about as much as measuring this many coordinates.
    static let primParallelWork = 1 << 15

    /// The minimum spanning tree of the mutual reachability graph by Prim's algorithm, measuring
    /// distances as it goes rather than storing the N × N matrix.
    ///
    /// Edges come out in the order Prim adds them, starting from point 0; among equally close points
    /// the lowest index joins first and keeps the source that reached it first, as in `hdbscan`'s
    /// `mst_linkage_core`, so ties resolve the same way.
    static func primSpanningTree(points: [Double], count: Int, dimension: Int, reachability: MutualReachability,
                                 progress: (Double) -> Void = { _ in }) -> [Edge] {
        precondition(points.count == count * dimension)
        guard count > 1 else { return [] }
        // Points not yet in the tree, compacted by swap-removal so each step scans only those.
        var outside = Array(1..<count)
        var nearest = [Double](repeating: .infinity, count: count - 1)
        var reachedFrom = [Int](repeating: 0, count: count - 1)
        var edges: [Edge] = []
        edges.reserveCapacity(count - 1)
        let reportEvery = max(1, count / 100)
        var current = 0
        points.withUnsafeBufferPointer { points in
            while !outside.isEmpty {
                let remaining = outside.count
                let minimumChunk = max(64, primParallelWork / dimension)
                let chunkBests = outside.withUnsafeBufferPointer { outside in
                    nearest.withUnsafeMutableBufferPointer { nearest in
                        reachedFrom.withUnsafeMutableBufferPointer { reachedFrom in
                            let (nearest, reachedFrom) = (nearest, reachedFrom)
                            return Parallel.mapChunks(of: remaining, minimumChunk: minimumChunk) { positions in
                                relax(positions, from: current, outside, nearest, reachedFrom, points, dimension, reachability)
                            }
                        }
                    }
                }
                let best = chunkBests.min { ($0.distance, outside[$0.position]) < ($1.distance, outside[$1.position]) }!
                let joining = outside[best.position]
                edges.append(Edge(source: reachedFrom[best.position], target: joining, distance: best.distance.squareRoot()))
                outside.swapAt(best.position, remaining - 1)
                nearest.swapAt(best.position, remaining - 1)
                reachedFrom.swapAt(best.position, remaining - 1)
                outside.removeLast()
                current = joining
                if edges.count % reportEvery == 0 || outside.isEmpty { progress(Double(edges.count) / Double(count - 1)) }
            }
        }
        return edges
    }

    /// Lowers the tentative distance of each point at `positions` through `source` and returns the
    /// closest of them (the lowest index among ties).
    private static func relax(_ positions: Range<Int>, from source: Int, _ outside: UnsafeBufferPointer<Int>,
                              _ nearest: UnsafeMutableBufferPointer<Double>,
                              _ reachedFrom: UnsafeMutableBufferPointer<Int>,
                              _ points: UnsafeBufferPointer<Double>, _ dimension: Int,
                              _ reachability: MutualReachability) -> (position: Int, distance: Double) {
        let origin = points.baseAddress! + source * dimension
        var best = (position: positions.lowerBound, distance: Double.infinity)
        for position in positions {
            let point = outside[position]
            let total = squaredDistance(origin, points.baseAddress! + point * dimension, dimension: dimension)
            let distance = reachability.squared(total, source, point)
            if distance < nearest[position] {
                nearest[position] = distance
                reachedFrom[position] = source
            }
            if nearest[position] < best.distance
                || (nearest[position] == best.distance && point < outside[best.position]) {
                best = (position, nearest[position])
            }
        }
        return best
    }
}
