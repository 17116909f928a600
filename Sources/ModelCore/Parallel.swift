import Dispatch
import Foundation

/// Work shared out over the cores, for loops whose iterations touch disjoint data.
///
/// The bodies may write through pointers captured from the caller, which Swift cannot prove
/// safe; the contract that makes it sound — each index or worker writes only its own part — is
/// stated here once instead of at every loop.
public enum Parallel {
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Calls `body(worker)` for each of `workers` workers, each on its own thread, and waits.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: workers) { body($0) }
        }
    }

    /// Calls `body` on consecutive sub-ranges of `0..<count` from all cores and waits. More chunks
    /// than cores, so a core that finishes early takes another; every index is handled by exactly
    /// one call, so results that depend only on the index do not depend on the scheduling.
    public static func forEachChunk(of count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(cores * 4, count / max(minimumChunk, 1)))
        if chunks == 1 { return body(0..<count) }
        run(workers: chunks) { chunk in body((chunk * count / chunks)..<((chunk + 1) * count / chunks)) }
    }
}
