import Foundation
import Synchronization

/// A stop request shared by the command line (Ctrl-C) and the workers.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Runs `work` on each job with `threads` threads and hands results back, in completion
/// order, to the calling thread, which does the database writes. Workers stop taking new
/// jobs once `cancellation` is set; jobs already started finish.
func runWorkerPool<Job: Sendable, Result: Sendable>(
    jobs: [Job], threads: Int, cancellation: CancellationFlag,
    work: @escaping @Sendable (Job) -> Result, receive: (Result) throws -> Void
) throws {
    guard !jobs.isEmpty else { return }
    let queue = Mutex<[Job]>(jobs.reversed())
    let channel = Channel<Result?>()
    let workerCount = max(1, min(threads, jobs.count))
    for _ in 0..<workerCount {
        let thread = Thread {
            while !cancellation.isCancelled, let job = queue.withLock({ $0.popLast() }) {
                channel.send(work(job))
            }
            channel.send(nil)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    var finishedWorkers = 0
    var firstError: Error?
    while finishedWorkers < workerCount {
        guard let result = channel.receive() else {
            finishedWorkers += 1
            continue
        }
        // After a write error, keep draining so every thread ends before we return.
        guard firstError == nil else { continue }
        do { try receive(result) } catch {
            firstError = error
            cancellation.cancel()
        }
    }
    if let firstError { throw firstError }
}

/// An unbounded multi-producer, single-consumer queue.
final class Channel<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    private let available = DispatchSemaphore(value: 0)

    func send(_ element: Element) {
        items.withLock { $0.append(element) }
        available.signal()
    }

    func receive() -> Element {
        available.wait()
        return items.withLock { $0.removeFirst() }
    }
}
