@testable import Analysis
import ModelCore
import Testing

@Suite struct DistanceTileTests {
    @Test(arguments: [1, 7, 8, 13, 512])
    func tileMatchesSeparateDistances(dimension: Int) {
        var random = SeededRandom(seed: UInt64(dimension))
        let rows = (0..<6).map { _ in (0..<dimension).map { _ in random.normal() } }
        let tile = squaredDistanceTile(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], dimension: dimension)
        for i in 0..<4 {
            for j in 0..<2 {
                let expected = squaredDistance(rows[i], rows[4 + j], dimension: dimension)
                #expect(abs(tile[2 * i + j] - expected) <= 1e-5 * max(1, expected), "a\(i) b\(j)")
            }
        }
    }
}
