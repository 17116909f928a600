@testable import Analysis
import Testing

@Suite struct BoostingParallelismTests {
    @Test(arguments: [0, 1, 7, 1000])
    func everyIndexIsVisitedOnce(count: Int) {
        var visits = [Int](repeating: 0, count: count)
        visits.withUnsafeMutableBufferPointer { visits in
            BoostingParallelism.forEachChunk(of: count) { range in
                for index in range { visits[index] += 1 }
            }
        }
        #expect(visits.allSatisfy { $0 == 1 })
    }

    @Test func mapKeepsIndexOrder() {
        #expect(BoostingParallelism.map(500) { $0 * $0 } == (0..<500).map { $0 * $0 })
        #expect(BoostingParallelism.map(0) { $0 }.isEmpty)
    }
}
