@testable import Analysis
import Foundation
import Testing

@Suite struct SmoothDistancesTests {
    @Test func sigmaSolvesTheMembershipSumAndRhoIsTheNearestDistance() {
        let mixture = GaussianMixture(count: 400, dimension: 16, clusters: 4)
        let points = MetricPoints(points: mixture.points, count: 400, dimension: 16, metric: .euclidean)
        let graph = NeighborGraph.exact(points: points, k: 15)
        let smooth = SmoothDistances(graph: graph)
        for row in 0..<graph.count {
            let distances = graph.distances[(row * 15)..<((row + 1) * 15)]
            #expect(smooth.rho[row] == distances[distances.startIndex + 1])
            let sum = distances.dropFirst().reduce(0.0) { total, distance in
                total + exp(-Double(max(0, distance - smooth.rho[row])) / Double(smooth.sigma[row]))
            }
            #expect(abs(sum - log2(15)) < 1e-3, "row \(row): \(sum)")
        }
    }

    @Test func equidistantNeighboursHitTheSigmaFloor() {
        // Every other neighbour at the same distance: the sum is k − 1 for any σ, above log2 k.
        let graph = NeighborGraph(count: 1, k: 4, indices: [0, 1, 2, 3], distances: [0, 2, 2, 2])
        let smooth = SmoothDistances(graph: graph)
        #expect(smooth.rho == [2])
        #expect(abs(smooth.sigma[0] - 1e-3 * 6 / 4) < 1e-6)
    }
}
