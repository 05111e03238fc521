#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into newline-delimited records (the watch wire format).
///
/// Contract: for any split of the input into chunks, the emitted records are the same: every
/// `\n`-terminated line, without the `\n` (and a trailing `\r`), skipping blank lines. Bytes
/// after the last newline are kept until more arrive or `finish()` returns them. A record longer
/// than `maxRecordBytes` is an error (protects memory from a broken stream).
public struct LineFramer: Sendable {
    public struct RecordTooLarge: Error, Sendable, Hashable {
        public var limit: Int
    }

    public let maxRecordBytes: Int
    private var partial: [UInt8] = []

    public init(maxRecordBytes: Int = 256 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Feeds a chunk; calls `emit` for every completed record, in order.
    public mutating func append(_ chunk: UnsafeRawBufferPointer, emit: ([UInt8]) -> Void) throws(RecordTooLarge) {
        var start = 0
        let n = chunk.count
        guard let base = chunk.baseAddress else { return }
        // memchr is vectorised: records are ~KBs long, so most bytes are skipped in bulk.
        while start < n, let hit = memchr(base + start, Int32(UInt8(ascii: "\n")), n - start) {
            let i = UnsafeRawPointer(hit) - base
            if partial.isEmpty {
                emitTrimmed(UnsafeRawBufferPointer(rebasing: chunk[start..<i]), emit)
            } else {
                partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<i]))
                let record = partial
                partial.removeAll(keepingCapacity: false)
                record.withUnsafeBytes { emitTrimmed($0, emit) }
            }
            start = i + 1
        }
        if start < n {
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<n]))
            if partial.count > maxRecordBytes { throw RecordTooLarge(limit: maxRecordBytes) }
        }
    }

    /// Convenience for arrays.
    public mutating func append(_ chunk: [UInt8], emit: ([UInt8]) -> Void) throws(RecordTooLarge) {
        var failure: RecordTooLarge?
        chunk.withUnsafeBytes { b in
            do throws(RecordTooLarge) { try append(b, emit: emit) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The unterminated rest of the stream, if it holds anything but whitespace.
    public mutating func finish() -> [UInt8]? {
        defer { partial = [] }
        var out: [UInt8]?
        partial.withUnsafeBytes { b in emitTrimmed(b) { out = $0 } }
        return out
    }

    private func emitTrimmed(_ b: UnsafeRawBufferPointer, _ emit: ([UInt8]) -> Void) {
        var lo = 0
        var hi = b.count
        while lo < hi, Self.isSpace(b[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(b[hi - 1]) { hi -= 1 }
        if lo < hi { emit(Array(UnsafeRawBufferPointer(rebasing: b[lo..<hi]))) }
    }

    private static func isSpace(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n")
    }
}
