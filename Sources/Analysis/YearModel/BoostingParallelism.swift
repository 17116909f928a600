import Foundation

/// Splits independent per-feature or per-row work across the cores.
enum BoostingParallelism {
    /// More chunks than cores, so a core that finishes early takes another chunk.
    private static let chunksPerCore = 4

    /// Calls `body` on consecutive sub-ranges of `0..<count` from all cores and returns when all are
    /// done. Every index is handled by exactly one call, so results that depend only on the index
    /// are the same whatever the scheduling. `body` may write through shared pointers only at
    /// places that belong to its own indices: that contract is what makes sharing it sound.
    static func forEachChunk(of count: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(ProcessInfo.processInfo.activeProcessorCount * chunksPerCore, count)
        if chunks == 1 { return body(0..<count) }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
            }
        }
    }

    /// `(0..<count).map(transform)`, computed on all cores.
    static func map<Result>(_ count: Int, _ transform: (Int) -> Result) -> [Result] {
        [Result](unsafeUninitializedCapacity: count) { results, initialised in
            forEachChunk(of: count) { indices in
                for index in indices { (results.baseAddress! + index).initialize(to: transform(index)) }
            }
            initialised = count
        }
    }
}
