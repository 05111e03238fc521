/// The framing state of one watch: the line framer, the records framed since the last delivery
/// and whether the watch has ended.
///
/// Contract: once `end()` has been called, `append` frames nothing, `finish` adds nothing and
/// `take` returns nothing — no record is handed over after the end.
struct WatchFraming: Sendable {
    var framer: LineFramer
    var pending: [[UInt8]] = []
    /// Set by the first `end()`.
    private(set) var ended = false

    init(framer: LineFramer = LineFramer()) { self.framer = framer }

    /// Frames `bytes`; true if a record went over the size limit (the records before it are pending).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !ended else { return false }
        do throws(LineFramer.RecordTooLarge) {
            try framer.append(bytes) { pending.append($0) }
            return false
        } catch {
            return true
        }
    }

    /// The unterminated rest of the stream joins the pending records.
    mutating func finish() {
        guard !ended else { return }
        if let rest = framer.finish() { pending.append(rest) }
    }

    mutating func take() -> [[UInt8]] {
        guard !ended, !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending
    }

    /// Ends the watch: true the first time only (its caller reports the end); drops what is pending
    /// and the unfinished record.
    mutating func end() -> Bool {
        guard !ended else { return false }
        ended = true
        pending = []
        // The unfinished record (up to the size limit) is not kept until the stream's closures go.
        framer = LineFramer(maxRecordBytes: framer.maxRecordBytes)
        return true
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
