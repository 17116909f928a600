@testable import Analysis
import Testing

@Suite struct BruteForceNeighborsTests {
    @Test func matchesSortedDistancesInManyDimensions() {
        let (count, dimension, k) = (300, 40, 11)
        let points = HDBSCANTestPoints.gaussian(count: count, dimension: dimension, seed: 21)
        let table = HDBSCAN.bruteForceNeighbors(points: points, count: count, dimension: dimension, k: k)
        let truth = HDBSCANTestPoints.sortedSquaredDistances(points, count: count, dimension: dimension)
        for point in 0..<count {
            // ‖x‖² + ‖y‖² − 2x·y rounds differently from Σ(x − y)²: relative 1e-12 of the norms (~40).
            for slot in 0..<k {
                #expect(abs(table.squaredDistances[point * k + slot] - truth[point][slot]) < 1e-10)
            }
            #expect(table.indices[point * k] == point)
        }
    }

    @Test func coreDistancesAgreeWithTheKDTree() {
        let (count, dimension, k) = (400, 4, 6)
        let points = HDBSCANTestPoints.gaussian(count: count, dimension: dimension, seed: 2)
        let brute = HDBSCAN.bruteForceNeighbors(points: points, count: count, dimension: dimension, k: k).squaredCoreDistances
        let tree = KDTree(points: points, count: count, dimension: dimension)
        let treeCores = tree.nearestNeighbors(k: k).squaredCoreDistances
        for (position, original) in tree.order.enumerated() { #expect(abs(brute[original] - treeCores[position]) < 1e-12) }
    }
}
