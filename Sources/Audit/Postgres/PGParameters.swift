/// Text-format statement parameters packed into one contiguous buffer, so a multi-row INSERT with
/// thousands of parameters costs one allocation rather than one per value.
///
/// Values are always sent as parameters (`$n`), never spliced into SQL text: this type is the only way
/// `PGConnection.execute` accepts values.
struct PGParameters {
    private(set) var bytes: [UInt8] = []
    /// Start offset of each value in `bytes`; `-1` marks SQL NULL.
    private(set) var offsets: [Int] = []

    init(capacity: Int = 0) {
        offsets.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 16)
    }

    var count: Int { offsets.count }

    /// Appends a text value; NUL bytes (which PostgreSQL text cannot hold) become U+FFFD.
    mutating func append(_ value: String?) {
        guard let value else {
            offsets.append(-1)
            return
        }
        offsets.append(bytes.count)
        for byte in value.utf8 {
            if byte == 0 {
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            } else {
                bytes.append(byte)
            }
        }
        bytes.append(0)
    }

    mutating func append(_ value: Int64?) { append(value.map { String($0) }) }
    mutating func append(_ value: Int?) { append(value.map { String($0) }) }
    mutating func append(_ value: Bool?) { append(value.map { $0 ? "t" : "f" }) }
    mutating func append(_ value: Double?) { append(value.map { String($0) }) }

    /// Calls `body` with a C array of `count` NUL-terminated value pointers (NULL for SQL NULL).
    func withCValues<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress)
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(offsets.count)
            for offset in offsets {
                if offset < 0 || base == nil {
                    pointers.append(nil)
                } else {
                    pointers.append(base!.advanced(by: offset).assumingMemoryBound(to: CChar.self))
                }
            }
            return try pointers.withUnsafeBufferPointer { try body($0.baseAddress) }
        }
    }
}
