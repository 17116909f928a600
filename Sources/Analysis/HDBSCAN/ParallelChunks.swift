import Dispatch
import Foundation

extension HDBSCAN {
    /// How many pieces parallel loops cut their range into: a few per core, so that a slow piece
    /// (a dense region, a busy core) does not leave the other core idle.
    static let chunksPerCore = 4

    /// Runs `body` over contiguous pieces of `0..<count` on all cores and returns each piece's result
    /// in piece order, so that a reduction over them does not depend on scheduling.
    ///
    /// Pieces are at least `minimumChunk` long (one piece when the range is shorter), so that small
    /// loops do not pay for dispatch. `body` must only write what its own piece owns (disjoint rows
    /// of an output, its own result); that contract, not the type system, makes the pieces safe to
    /// run at once.
    static func mapChunks<Result>(of count: Int, minimumChunk: Int = 256,
                                  _ body: (Range<Int>) -> Result) -> [Result] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chunkCount = max(1, min(cores * chunksPerCore, count / max(1, minimumChunk)))
        let bounds = (0...chunkCount).map { $0 * count / chunkCount }
        if chunkCount == 1 { return [body(0..<count)] }
        return withoutActuallyEscaping(body) { body in
            // concurrentPerform wants a @Sendable closure; it returns only when every piece is done,
            // and each piece writes its own result slot.
            nonisolated(unsafe) let body = body
            return [Result](unsafeUninitializedCapacity: chunkCount) { results, initialized in
                nonisolated(unsafe) let base = results.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                    (base + chunk).initialize(to: body(bounds[chunk]..<bounds[chunk + 1]))
                }
                initialized = chunkCount
            }
        }
    }

    /// Runs `body` over contiguous pieces of `0..<count` on all cores.
    static func forEachChunk(of count: Int, minimumChunk: Int = 256, _ body: (Range<Int>) -> Void) {
        _ = mapChunks(of: count, minimumChunk: minimumChunk, body)
    }
}
