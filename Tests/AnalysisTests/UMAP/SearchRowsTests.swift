@testable import Analysis
import ModelCore
import Testing

@Suite struct SearchRowsTests {
    /// Points far from the origin, close to each other: stored as they are, 16-bit floats would
    /// keep almost nothing of their differences.
    static func offsetPoints(count: Int, dimension: Int) -> MetricPoints {
        var random = SeededRandom(seed: 3)
        let values = (0..<(count * dimension)).map { _ in 1000 + random.normal() }
        return MetricPoints(points: values, count: count, dimension: dimension, metric: .euclidean)
    }

    @Test func distancesKeepTheirProportionsAfterCentringAndRounding() {
        let points = Self.offsetPoints(count: 40, dimension: 13)
        let search = SearchRows(points: points)
        #expect(search.rowLength == 16)
        let exact = { (i: Int, j: Int) in
            points.rows.withUnsafeBufferPointer { squaredDistance($0.baseAddress! + i * 13, $0.baseAddress! + j * 13, dimension: 13) }
        }
        let scale = search.squaredDistance(0, 1) / exact(0, 1)
        for (i, j) in [(2, 3), (5, 39), (17, 18), (0, 30)] {
            let ratio = search.squaredDistance(i, j) / exact(i, j)
            #expect(abs(ratio / scale - 1) < 0.01, "pair \(i) \(j)")
        }
        #expect(search.squaredDistance(7, 7) == 0)
    }

    @Test func paddingIsZeroAndNormsAreOfTheStoredRows() {
        let search = SearchRows(points: Self.offsetPoints(count: 5, dimension: 13))
        for row in 0..<5 {
            let stored = search.rows[(row * 16)..<((row + 1) * 16)]
            #expect(stored.suffix(3).allSatisfy { $0 == 0 })
            let norm = stored.reduce(Float(0)) { $0 + Float($1) * Float($1) }
            #expect(abs(search.squaredNorms[row] - norm) <= 1e-5 * norm)
        }
    }

    @Test func reorderingMovesRowsWithTheirNorms() {
        let points = Self.offsetPoints(count: 6, dimension: 8)
        let plain = SearchRows(points: points), reordered = plain.reordered([5, 4, 3, 2, 1, 0])
        for row in 0..<6 {
            #expect(reordered.rows[(row * 8)..<((row + 1) * 8)] == plain.rows[((5 - row) * 8)..<((6 - row) * 8)])
            #expect(reordered.squaredNorms[row] == plain.squaredNorms[5 - row])
        }
    }
}
