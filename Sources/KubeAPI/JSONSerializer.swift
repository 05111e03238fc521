/// Compact JSON serialization of `JSONValue` (RFC 8259), optionally with sorted keys for stable output.
extension JSONValue {
    /// UTF-8 JSON bytes with no insignificant whitespace.
    public func serialized(sortedKeys: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, sortedKeys: sortedKeys)
        return out
    }

    /// The compact JSON text.
    public func jsonString(sortedKeys: Bool = false) -> String {
        String(decoding: serialized(sortedKeys: sortedKeys), as: UTF8.self)
    }

    public func write(into out: inout [UInt8], sortedKeys: Bool = false) {
        switch self {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .double(let d):
            if d.isFinite {
                if d.rounded() == d, abs(d) < 1e15 {
                    out.append(contentsOf: String(Int64(d)).utf8)
                } else {
                    out.append(contentsOf: "\(d)".utf8)
                }
            } else {
                out.append(contentsOf: [110, 117, 108, 108])  // JSON has no NaN/Infinity
            }
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out, sortedKeys: sortedKeys)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            if sortedKeys {
                for key in o.keys.sorted() {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    JSONValue.writeString(key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    o[key]!.write(into: &out, sortedKeys: true)
                }
            } else {
                for (key, v) in o {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    JSONValue.writeString(key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    v.write(into: &out, sortedKeys: false)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes `s` into `out`: runs that need no escape are copied whole (no per-byte appends,
    /// no allocation besides `out`'s growth), found 8 bytes at a time (`plainRunEnd`).
    package static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            var i = 0
            while true {
                i = plainRunEnd(bytes, from: i)
                guard i < bytes.count else { break }
                let b = bytes[i]
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                i += 1
                run = i
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 48, 48, hexDigit(b >> 4), hexDigit(b & 0xF)])
                }
            }
            if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The index of the first byte at or after `start` that needs an escape (a quote, a backslash
    /// or a control character), or `bytes.count`. Words of 8 bytes at a time (SWAR, as
    /// `JSONTapeScanner.skipPlainBytes`): the lowest flagged byte of a word is exactly its first
    /// special byte (a borrow only flags bytes above a true one); the tail byte by byte.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= bytes.count {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let special = JSONTapeScanner.hasZeroByte(w ^ (ones &* 0x22)) | JSONTapeScanner.hasZeroByte(w ^ (ones &* 0x5C))
                    | JSONTapeScanner.hasByteBelow(w, 0x20)
                if special != 0 { return i + special.trailingZeroBitCount &>> 3 }
                i += 8
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == 0x22 || b == 0x5C { return i }
            i += 1
        }
        return i
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
