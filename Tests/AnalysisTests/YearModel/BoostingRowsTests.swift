@testable import Analysis
import Testing

@Suite struct BoostingRowsTests {
    @Test func gathersRowsInTheOrderGiven() {
        let features: [Float] = [0, 1, 10, 11, 20, 21]
        #expect(BoostingRows.gather([2, 0], from: features, dimension: 2) == [20, 21, 0, 1])
        #expect(BoostingRows.gather([], from: features, dimension: 2).isEmpty)
    }
}
