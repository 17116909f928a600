@testable import Analysis
import ModelCore
import Testing

@Suite struct DistanceTileTests {
    @Test(arguments: [8, 16, 512])
    func tileMatchesSeparateDotProducts(length: Int) {
        var random = SeededRandom(seed: UInt64(length))
        let rows = (0..<6).map { _ in (0..<length).map { _ in Float16(random.normal()) } }
        let tile = halfDotProductTile(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], length: length)
        for i in 0..<4 {
            for j in 0..<2 {
                let expected = zip(rows[i], rows[4 + j]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                #expect(abs(Double(tile[2 * i + j]) - expected) <= 1e-5 * Double(length), "a\(i) b\(j)")
            }
        }
    }
}
