@testable import Analysis
import ModelCore

/// Seeded test inputs and slow, obviously correct reference computations.
enum HDBSCANTestPoints {
    /// `count` points of `dimension` standard normal coordinates.
    static func gaussian(count: Int, dimension: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<(count * dimension)).map { _ in Double(random.normal()) }
    }

    /// Gaussian blobs of `spread` around `centres.count` centres, `perBlob` points each (row-major).
    static func blobs(centres: [[Float]], perBlob: Int, spread: Float, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return centres.flatMap { centre in
            (0..<perBlob).flatMap { _ in centre.map { $0 + spread * random.normal() } }
        }
    }

    /// Points on a small integer grid with repeats: many equal distances and exact duplicates.
    static func grid(count: Int, dimension: Int, side: Int, seed: UInt64) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<(count * dimension)).map { _ in Double(Int.random(in: 0..<side, using: &random)) }
    }

    static func squaredDistance(_ points: [Double], _ dimension: Int, _ a: Int, _ b: Int) -> Double {
        (0..<dimension).reduce(0) { $0 + (points[a * dimension + $1] - points[b * dimension + $1]) * (points[a * dimension + $1] - points[b * dimension + $1]) }
    }

    /// Sorted squared distances from every point to all points (itself included): the k-NN truth.
    static func sortedSquaredDistances(_ points: [Double], count: Int, dimension: Int) -> [[Double]] {
        (0..<count).map { a in (0..<count).map { squaredDistance(points, dimension, a, $0) }.sorted() }
    }

    /// Squared core distances by sorting all distances: the k-th nearest, counting the point itself.
    static func squaredCoreDistances(_ points: [Double], count: Int, dimension: Int, k: Int) -> [Double] {
        sortedSquaredDistances(points, count: count, dimension: dimension).map { $0[k - 1] }
    }

    /// The weight of the minimum spanning tree of the mutual reachability graph, by Kruskal over all pairs.
    static func spanningTreeWeight(_ points: [Double], count: Int, dimension: Int, squaredCores: [Double],
                                   alpha: Double = 1) -> Double {
        let reachability = HDBSCAN.MutualReachability(squaredCoreDistances: squaredCores, alpha: alpha)
        var pairs: [(Double, Int, Int)] = []
        for a in 0..<count {
            for b in (a + 1)..<count {
                pairs.append((reachability.squared(squaredDistance(points, dimension, a, b), a, b).squareRoot(), a, b))
            }
        }
        var components = DisjointSet(count: count)
        return pairs.sorted { $0.0 < $1.0 }.reduce(0) { total, pair in
            components.union(pair.1, pair.2) ? total + pair.0 : total
        }
    }

    /// Whether `edges` connect all `count` points without a cycle.
    static func isSpanningTree(_ edges: [HDBSCAN.Edge], count: Int) -> Bool {
        var components = DisjointSet(count: count)
        return edges.count == count - 1 && edges.allSatisfy { components.union($0.source, $0.target) }
    }
}
