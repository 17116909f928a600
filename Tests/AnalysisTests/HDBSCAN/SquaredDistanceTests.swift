@testable import Analysis
import Testing

@Suite struct SquaredDistanceTests {
    /// Every dimension from 1 to 21 covers the scalar path, whole SIMD blocks and leftover tails.
    @Test(arguments: 1...21)
    func matchesTheSumOfSquaredDifferences(dimension: Int) {
        let points = HDBSCANTestPoints.gaussian(count: 2, dimension: dimension, seed: UInt64(dimension))
        let expected = HDBSCANTestPoints.squaredDistance(points, dimension, 0, 1)
        let actual = points.withUnsafeBufferPointer {
            HDBSCAN.squaredDistance($0.baseAddress!, $0.baseAddress! + dimension, dimension: dimension)
        }
        if dimension < HDBSCAN.vectorDistanceDimension {
            // Summed in order, like scikit-learn: bit for bit.
            #expect(actual == expected)
        } else {
            #expect(abs(actual - expected) <= 1e-14 * expected)
        }
    }
}
