/// Hands buffers to `DispatchQueue.concurrentPerform` tasks that read them, or write disjoint parts.
///
/// The callers guarantee the disjointness the compiler cannot see; this is the one place that says so.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
