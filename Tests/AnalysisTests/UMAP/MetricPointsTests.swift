@testable import Analysis
import ModelCore
import Testing

@Suite struct MetricPointsTests {
    @Test func cosineRowsAreNormalisedAndZeroRowsKept() {
        let points = MetricPoints(points: [3, 4, 0, 0, 1, 0], count: 3, dimension: 2, metric: .cosine)
        #expect(points.rows == [0.6, 0.8, 0, 0, 1, 0])
        #expect(points.squaredNorms == [1, 0, 1])
        // ‖x − y‖² = 2 − 2 cos between unit vectors: cos = 0.6 gives a cosine distance of 0.4.
        #expect(abs(points.distance(fromSquared: 0.8) - 0.4) < 1e-6)
    }

    @Test func euclideanDistanceIsTheRootOfTheSquare() {
        let points = MetricPoints(points: [0, 0], count: 1, dimension: 2, metric: .euclidean)
        #expect(points.distance(fromSquared: 9) == 3)
        #expect(points.distance(fromSquared: -1e-7) == 0)
    }

    @Test(arguments: [1, 7, 8, 13, 200])
    func squaredDistanceMatchesAPlainLoop(dimension: Int) {
        var random = SeededRandom(seed: UInt64(dimension))
        let x = (0..<dimension).map { _ in random.normal() }, y = (0..<dimension).map { _ in random.normal() }
        let squared = zip(x, y).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(squaredDistance(x, y, dimension: dimension) - squared) <= 1e-5 * max(1, squared))
    }
}
