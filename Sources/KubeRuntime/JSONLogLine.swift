import FoundationEssentials
import KubeAPI
import Logging

/// Renders one `JSONLogHandler` line straight into bytes: the same text as building a
/// `JSONValue` object and serializing it with sorted keys (the handler's original way), without
/// the intermediate tree, and with the credential check on the key's bytes instead of
/// Foundation's string search (logging was ~7 % of the webhook adapter's CPU, half of it that
/// search; docs/performance.md).
///
/// Contract: keys sorted (`String` order); metadata keys equal to a fixed field are written as
/// `meta.<key>`; when two entries end up with one name the later (in metadata order) wins;
/// values under sensitive keys, at any depth, are `"[REDACTED]"`.
enum JSONLogLine {
    static let fixed: Set<String> = ["time", "level", "logger", "message"]
    private static let needles: [[UInt8]] = ["token", "password", "secret", "authorization"].map { Array($0.utf8) }
    private static let redacted = JSONValue.string("[REDACTED]")

    /// One top-level member of the line: a fixed field's text, a metadata value, or a redacted one.
    private enum Field {
        case text(String)
        case value(Logger.MetadataValue)
        case redacted
    }

    static func render(time: String, level: String, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var fields: [(name: String, field: Field)] = []
        fields.reserveCapacity(4 + metadata.count)
        fields.append(("time", .text(time)))
        fields.append(("level", .text(level)))
        fields.append(("logger", .text(label)))
        fields.append(("message", .text(message)))
        if metadata.keys.contains(where: mayCollide) {
            var named: [String: Logger.MetadataValue?] = [:] // nil: redacted
            named.reserveCapacity(metadata.count)
            for (key, value) in metadata {
                let name = fixed.contains(key) || named[key] != nil ? "meta.\(key)" : key
                named[name] = isSensitive(key) ? .some(nil) : .some(value)
            }
            for (name, value) in named { fields.append((name, value.map(Field.value) ?? .redacted)) }
        } else {
            // No key is a fixed field's name or starts with `meta.`: every key is its own name.
            for (key, value) in metadata { fields.append((key, isSensitive(key) ? .redacted : .value(value))) }
        }
        fields.sort { $0.name < $1.name }
        var out: [UInt8] = []
        out.reserveCapacity(256 + message.utf8.count)
        out.append(UInt8(ascii: "{"))
        for (i, member) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(member.name, into: &out)
            out.append(UInt8(ascii: ":"))
            switch member.field {
            case .text(let text): JSONValue.writeString(text, into: &out)
            case .value(let value): write(value, into: &out)
            case .redacted: redacted.write(into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Whether `key` may be renamed or renamed into: a fixed field's name or `meta.` + anything.
    private static func mayCollide(_ key: String) -> Bool {
        switch key {
        case "time", "level", "logger", "message": true
        default: key.utf8.starts(with: "meta.".utf8)
        }
    }

    static func write(_ value: Logger.MetadataValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .stringConvertible(let c): JSONValue.writeString(c.description, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let d):
            out.append(UInt8(ascii: "{"))
            for (i, member) in d.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if isSensitive(member.key) { redacted.write(into: &out) } else { write(member.value, into: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `key` contains `token`, `password`, `secret` or `authorization`, any case.
    static func isSensitive(_ key: String) -> Bool {
        var ascii = key
        let answer: Bool? = ascii.withUTF8 { bytes in
            // Non-ASCII keys take Unicode lowercasing below (a Kelvin sign lowercases to `k`).
            if bytes.contains(where: { $0 >= 0x80 }) { return nil }
            // One pass: only a needle's first letter (either case; `| 0x20` maps no other ASCII
            // byte to t, p, s or a) starts a comparison.
            for start in bytes.indices {
                switch bytes[start] | 0x20 {
                case UInt8(ascii: "t"): if matches(bytes, at: start, needles[0]) { return true }
                case UInt8(ascii: "p"): if matches(bytes, at: start, needles[1]) { return true }
                case UInt8(ascii: "s"): if matches(bytes, at: start, needles[2]) { return true }
                case UInt8(ascii: "a"): if matches(bytes, at: start, needles[3]) { return true }
                default: continue
                }
            }
            return false
        }
        if let answer { return answer }
        let lower = Array(key.lowercased().utf8)
        return needles.contains { n in lower.withUnsafeBufferPointer { contains($0, n) } }
    }

    /// Whether `hay` holds `needle` (lowercase) at `start`, ASCII case-insensitively.
    private static func matches(_ hay: UnsafeBufferPointer<UInt8>, at start: Int, _ needle: [UInt8]) -> Bool {
        guard hay.count - start >= needle.count else { return false }
        for j in 0..<needle.count {
            var b = hay[start + j]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != needle[j] { return false }
        }
        return true
    }

    /// ASCII case-insensitive substring search (`needle` is lowercase).
    private static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count else { return false }
        search: for start in 0...(hay.count - needle.count) {
            for j in 0..<needle.count {
                var b = hay[start + j]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != needle[j] { continue search }
            }
            return true
        }
        return false
    }
}
