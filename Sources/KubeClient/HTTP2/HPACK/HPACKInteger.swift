/// HPACK's prefixed integers (RFC 7541 §5.1): a value in the low `prefixBits` bits of the first
/// octet, continued in 7-bit groups, least significant first, when it does not fit.
enum HPACKInteger {
    /// The largest value the decoder accepts; larger ones are `HPACKError.integerOverflow`.
    static let limit = Int(Int32.max)

    /// Appends `value` (≥ 0) with a `prefixBits`-bit prefix (1…8); `flags` are the first octet's
    /// high bits (the representation's pattern) and must not overlap the prefix.
    static func encode(_ value: Int, prefixBits: Int, flags: UInt8, into out: inout [UInt8]) {
        let max = (1 << prefixBits) - 1
        if value < max {
            out.append(flags | UInt8(value))
            return
        }
        out.append(flags | UInt8(max))
        var rest = value - max
        while rest >= 128 {
            out.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// Decodes the integer starting at `index` (whose first octet's high bits the caller has
    /// already classified) and moves `index` past it.
    static func decode(_ bytes: UnsafeRawBufferPointer, at index: inout Int,
                       prefixBits: Int) throws(HPACKError) -> Int {
        guard index < bytes.count else { throw .truncated }
        let max = (1 << prefixBits) - 1
        var value = Int(bytes[index]) & max
        index += 1
        if value < max { return value }
        var shift = 0
        while true {
            guard index < bytes.count else { throw .truncated }
            let b = Int(bytes[index])
            index += 1
            guard shift <= 28 else { throw .integerOverflow }
            value += (b & 0x7f) << shift
            guard value <= limit else { throw .integerOverflow }
            if b & 0x80 == 0 { return value }
            shift += 7
        }
    }
}
