@testable import Analysis
import Testing

@Suite struct ParallelChunksTests {
    @Test(arguments: [0, 1, 255, 256, 10_000, 100_003])
    func coverTheRangeOnceInOrder(count: Int) {
        let pieces = HDBSCAN.mapChunks(of: count) { $0 }
        #expect(pieces.flatMap { Array($0) } == Array(0..<count))
        #expect(pieces.count == 1 || pieces.allSatisfy { $0.count >= 256 })
    }

    @Test func writeDisjointRowsOfOneOutput() {
        var output = [Int](repeating: 0, count: 50_000)
        output.withUnsafeMutableBufferPointer { output in
            let output = output
            HDBSCAN.forEachChunk(of: 50_000) { range in for index in range { output[index] = index * 2 } }
        }
        #expect(output == (0..<50_000).map { $0 * 2 })
    }
}
