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
    /// no allocation besides `out`'s growth), found 8 bytes at a time by the scan a string's parse
    /// uses too (`JSONTapeScanner.plainRunEnd`).
    package static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            var i = 0
            while true {
                i = JSONTapeScanner.plainRunEnd(bytes, from: i)
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

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }
}
