import Dispatch
import Foundation

/// Work shared out over the cores, for loops whose iterations touch disjoint data.
///
/// The bodies may write through pointers captured from the caller, which Swift cannot prove
/// safe; the contract that makes it sound — each index, piece or worker writes only what it owns
/// (disjoint rows of an output, its own result) — is stated here once instead of at every loop.
/// Every index is handled by exactly one call, so results that depend only on the index do not
/// depend on the scheduling.
public enum Parallel {
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }
    /// A few pieces per core, so that a slow piece (a dense region, a busy core) does not leave
    /// the other core idle.
    static let piecesPerCore = 4

    /// Calls `body(worker)` for each of `workers` workers, each on its own thread, and waits.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            // concurrentPerform wants a @Sendable closure; it returns only when every call is done.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: workers) { body($0) }
        }
    }

    /// Runs `body` over contiguous pieces of `0..<count` on all cores and returns each piece's
    /// result in piece order, so that a reduction over them does not depend on scheduling. Pieces
    /// are at least `minimumChunk` long (one piece when the range is shorter), so that small loops
    /// do not pay for dispatch.
    public static func mapChunks<Result>(of count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Result) -> [Result] {
        let pieces = max(1, min(cores * piecesPerCore, count / max(1, minimumChunk)))
        let bounds = (0...pieces).map { $0 * count / pieces }
        if pieces == 1 { return [body(0..<count)] }
        return [Result](unsafeUninitializedCapacity: pieces) { results, initialized in
            nonisolated(unsafe) let base = results.baseAddress!
            run(workers: pieces) { piece in (base + piece).initialize(to: body(bounds[piece]..<bounds[piece + 1])) }
            initialized = pieces
        }
    }

    /// Runs `body` over contiguous pieces of `0..<count` on all cores.
    public static func forEachChunk(of count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        _ = mapChunks(of: count, minimumChunk: minimumChunk, body)
    }

    /// `(0..<count).map(transform)`, on all cores.
    public static func map<Result>(_ count: Int, minimumChunk: Int = 1, _ transform: (Int) -> Result) -> [Result] {
        [Result](unsafeUninitializedCapacity: count) { results, initialized in
            nonisolated(unsafe) let base = results.baseAddress!
            forEachChunk(of: count, minimumChunk: minimumChunk) { indices in
                for index in indices { (base + index).initialize(to: transform(index)) }
            }
            initialized = count
        }
    }
}
