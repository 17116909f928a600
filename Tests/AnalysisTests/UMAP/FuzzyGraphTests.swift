@testable import Analysis
import Foundation
import Testing

@Suite struct FuzzyGraphTests {
    @Test func unionIsSymmetricWithinTheUnitIntervalAndWithoutLoops() {
        let mixture = GaussianMixture(count: 500, dimension: 16, clusters: 4)
        let points = MetricPoints(points: mixture.points, count: 500, dimension: 16, metric: .cosine)
        let neighbors = NeighborGraph.exact(points: points, k: 15)
        let graph = FuzzyGraph(neighbors: neighbors, smooth: SmoothDistances(graph: neighbors))
        var entries: [Int: Float] = [:]
        for row in 0..<graph.count {
            let (columns, weights) = graph.row(row)
            #expect(Array(columns) == columns.sorted())
            for (column, weight) in zip(columns, weights) {
                #expect(Int(column) != row)
                #expect(weight > 0 && weight <= 1)
                entries[row * graph.count + Int(column)] = weight
            }
        }
        for (key, weight) in entries { #expect(entries[(key % graph.count) * graph.count + key / graph.count] == weight) }
    }

    @Test func membershipsCombineAsProbabilisticOr() {
        // 0 → 1 at ρ (membership 1); 1 → 0 beyond ρ₁ with membership exp(−(2 − 1)/σ₁).
        let neighbors = NeighborGraph(count: 3, k: 2, indices: [0, 1, 1, 0, 2, 1], distances: [0, 1, 0, 2, 0, 1])
        var smooth = SmoothDistances(graph: neighbors)
        (smooth.rho, smooth.sigma) = ([1, 1, 1], [1, 0.5, 1])
        let graph = FuzzyGraph(neighbors: neighbors, smooth: smooth)
        let backward = exp(-Float(1) / 0.5)
        #expect(graph.row(0).weights.first! == 1 + backward - backward)
        #expect(Array(graph.row(1).columns) == [0, 2])
        #expect(Array(graph.row(2).columns) == [1])
    }
}
