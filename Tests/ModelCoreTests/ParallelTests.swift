import ModelCore
import Testing

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 255, 256, 10_000, 100_003])
    func piecesCoverTheRangeOnceInOrder(count: Int) {
        let pieces = Parallel.mapChunks(of: count, minimumChunk: 256) { $0 }
        #expect(pieces.flatMap { Array($0) } == Array(0..<count))
        #expect(pieces.count == 1 || pieces.allSatisfy { $0.count >= 256 })
    }

    @Test func piecesWriteDisjointRowsOfOneOutput() {
        var output = [Int](repeating: 0, count: 50_000)
        output.withUnsafeMutableBufferPointer { output in
            let output = output
            Parallel.forEachChunk(of: 50_000, minimumChunk: 256) { range in for index in range { output[index] = index * 2 } }
        }
        #expect(output == (0..<50_000).map { $0 * 2 })
    }

    @Test func mapKeepsTheOrder() {
        #expect(Parallel.map(10_001) { $0 * $0 } == (0..<10_001).map { $0 * $0 })
    }

    @Test func everyWorkerRunsOnce() {
        var seen = [Int](repeating: 0, count: 7)
        seen.withUnsafeMutableBufferPointer { seen in
            let seen = seen
            Parallel.run(workers: 7) { seen[$0] += 1 }
        }
        #expect(seen == [Int](repeating: 1, count: 7))
    }
}
