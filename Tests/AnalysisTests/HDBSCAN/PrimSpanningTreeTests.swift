@testable import Analysis
import Testing

@Suite struct PrimSpanningTreeTests {
    @Test(arguments: [(2, 1.0), (7, 1.0), (3, 0.7), (3, 1.6)])
    func hasTheMinimumWeight(dimension: Int, alpha: Double) {
        let count = 200
        let points = HDBSCANTestPoints.gaussian(count: count, dimension: dimension, seed: 31)
        let cores = HDBSCANTestPoints.squaredCoreDistances(points, count: count, dimension: dimension, k: 6)
        let edges = HDBSCAN.primSpanningTree(
            points: points, count: count, dimension: dimension,
            reachability: HDBSCAN.MutualReachability(squaredCoreDistances: cores, alpha: alpha))
        #expect(HDBSCANTestPoints.isSpanningTree(edges, count: count))
        let weight = edges.reduce(0) { $0 + $1.distance }
        let expected = HDBSCANTestPoints.spanningTreeWeight(points, count: count, dimension: dimension,
                                                           squaredCores: cores, alpha: alpha)
        #expect(abs(weight - expected) < 1e-9 * expected)
    }

    @Test func growsFromPointZeroAndBreaksTiesTowardsTheLowestIndex() {
        // Four corners of a unit square, no core distances: every side ties at 1.
        let points: [Double] = [0, 0, 1, 0, 0, 1, 1, 1]
        let edges = HDBSCAN.primSpanningTree(
            points: points, count: 4, dimension: 2,
            reachability: HDBSCAN.MutualReachability(squaredCoreDistances: [0, 0, 0, 0], alpha: 1))
        #expect(edges == [HDBSCAN.Edge(source: 0, target: 1, distance: 1), HDBSCAN.Edge(source: 0, target: 2, distance: 1),
                          HDBSCAN.Edge(source: 1, target: 3, distance: 1)])
    }

    @Test func reportsProgressUpToOne() {
        let points = HDBSCANTestPoints.gaussian(count: 250, dimension: 2, seed: 1)
        var fractions: [Double] = []
        _ = HDBSCAN.primSpanningTree(points: points, count: 250, dimension: 2,
                                     reachability: .init(squaredCoreDistances: [Double](repeating: 0, count: 250), alpha: 1),
                                     progress: { fractions.append($0) })
        #expect(fractions == fractions.sorted() && fractions.last == 1 && fractions.count > 10)
    }
}
