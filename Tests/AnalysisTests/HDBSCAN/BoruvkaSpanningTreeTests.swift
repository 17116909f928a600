@testable import Analysis
import Testing

@Suite struct BoruvkaSpanningTreeTests {
    static func boruvka(_ points: [Double], count: Int, dimension: Int, k: Int, alpha: Double = 1,
                        progress: (Double) -> Void = { _ in }) -> [HDBSCAN.Edge] {
        let tree = KDTree(points: points, count: count, dimension: dimension, leafSize: 8)
        let neighbors = tree.nearestNeighbors(k: k)
        return HDBSCAN.boruvkaSpanningTree(
            tree: tree, neighbors: neighbors,
            reachability: HDBSCAN.MutualReachability(squaredCoreDistances: neighbors.squaredCoreDistances, alpha: alpha),
            progress: progress)
    }

    /// Smooth data, a grid full of equal distances and duplicates, and α on both sides of 1.
    @Test(arguments: [("gaussian", 2, 1.0), ("gaussian", 4, 1.0), ("grid", 2, 1.0), ("grid", 3, 1.0),
                      ("gaussian", 2, 0.6), ("grid", 2, 1.5)])
    func matchesPrimAndTheBruteForceWeight(kind: String, dimension: Int, alpha: Double) {
        let count = 250
        let points = kind == "grid" ? HDBSCANTestPoints.grid(count: count, dimension: dimension, side: 9, seed: 8)
            : HDBSCANTestPoints.gaussian(count: count, dimension: dimension, seed: 13)
        let k = 5
        let edges = Self.boruvka(points, count: count, dimension: dimension, k: k, alpha: alpha)
        #expect(HDBSCANTestPoints.isSpanningTree(edges, count: count))
        let cores = HDBSCANTestPoints.squaredCoreDistances(points, count: count, dimension: dimension, k: k)
        let prim = HDBSCAN.primSpanningTree(points: points, count: count, dimension: dimension,
                                            reachability: .init(squaredCoreDistances: cores, alpha: alpha))
        let expected = HDBSCANTestPoints.spanningTreeWeight(points, count: count, dimension: dimension,
                                                           squaredCores: cores, alpha: alpha)
        let weight = edges.reduce(0) { $0 + $1.distance }
        #expect(abs(weight - expected) < 1e-9 * expected)
        #expect(abs(prim.reduce(0) { $0 + $1.distance } - expected) < 1e-9 * expected)
        // All minimum spanning trees share their sorted weights.
        #expect(zip(edges.map(\.distance).sorted(), prim.map(\.distance).sorted()).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func isReproducibleOnTiedInput() {
        let points = HDBSCANTestPoints.grid(count: 4_000, dimension: 2, side: 40, seed: 17)
        let first = Self.boruvka(points, count: 4_000, dimension: 2, k: 8)
        for _ in 0..<3 { #expect(Self.boruvka(points, count: 4_000, dimension: 2, k: 8) == first) }
    }

    @Test func handlesAllIdenticalPoints() {
        let edges = Self.boruvka([Double](repeating: 2, count: 600), count: 300, dimension: 2, k: 4)
        #expect(HDBSCANTestPoints.isSpanningTree(edges, count: 300))
        #expect(edges.allSatisfy { $0.distance == 0 })
    }

    @Test func reportsProgressUpToOne() {
        var fractions: [Double] = []
        _ = Self.boruvka(HDBSCANTestPoints.gaussian(count: 2_000, dimension: 2, seed: 3), count: 2_000, dimension: 2, k: 5,
                         progress: { fractions.append($0) })
        #expect(fractions == fractions.sorted() && fractions.last == 1 && fractions.count >= 2)
    }
}
