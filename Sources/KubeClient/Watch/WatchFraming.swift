/// The framing state of one watch: the line framer and the records framed since the last delivery.
struct WatchFraming: Sendable {
    var framer = LineFramer()
    var pending: [[UInt8]] = []

    /// Frames `bytes`; true if a record went over the size limit (the records before it are pending).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        do throws(LineFramer.RecordTooLarge) {
            try framer.append(bytes) { pending.append($0) }
            return false
        } catch {
            return true
        }
    }

    /// The unterminated rest of the stream joins the pending records.
    mutating func finish() {
        if let rest = framer.finish() { pending.append(rest) }
    }

    mutating func take() -> [[UInt8]] {
        guard !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending
    }
}

/// Where a batch of watch records leaves the loop thread (a function of its own, so that a probe
/// can count batches and their sizes in a shipped binary: `count` is the array's length).
enum WatchBatchDelivery {
    @inline(never)
    static func yield(_ batch: [[UInt8]], _ continuation: AsyncThrowingStream<[[UInt8]], any Error>.Continuation) {
        continuation.yield(batch)
    }
}
