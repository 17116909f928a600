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
    try runThreads(max(1, min(threads, jobs.count)), cancellation: cancellation, body: { send in
        while !cancellation.isCancelled, let job = queue.withLock({ $0.popLast() }) {
            send(work(job))
        }
    }, receive: receive)
}

/// Runs `body` on `count` threads; the results each passes to its `send` reach `receive`, in
/// the order they were sent, on the calling thread. A `receive` error cancels the run and is
/// rethrown once every thread has ended.
func runThreads<Result: Sendable>(
    _ count: Int, cancellation: CancellationFlag,
    body: @escaping @Sendable (_ send: (Result) -> Void) -> Void, receive: (Result) throws -> Void
) throws {
    let channel = Channel<Result?>()
    for _ in 0..<count {
        let thread = Thread {
            body { channel.send($0) }
            channel.send(nil)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    var finishedThreads = 0
    var firstError: Error?
    while finishedThreads < count {
        guard let result = channel.receive() else {
            finishedThreads += 1
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
