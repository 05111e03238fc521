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

    static func render(time: String, level: String, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var named: [String: Logger.MetadataValue?] = [:] // nil: redacted
        named.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            let name = fixed.contains(key) || named[key] != nil ? "meta.\(key)" : key
            named[name] = isSensitive(key) ? .some(nil) : .some(value)
        }
        var keys = Array(named.keys)
        keys.append(contentsOf: fixed)
        keys.sort()
        var out: [UInt8] = []
        out.reserveCapacity(256 + message.utf8.count)
        out.append(UInt8(ascii: "{"))
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.string(key).write(into: &out)
            out.append(UInt8(ascii: ":"))
            switch key {
            case "time": JSONValue.string(time).write(into: &out)
            case "level": JSONValue.string(level).write(into: &out)
            case "logger": JSONValue.string(label).write(into: &out)
            case "message": JSONValue.string(message).write(into: &out)
            default:
                if let value = named[key] ?? nil { write(value, into: &out) } else { redacted.write(into: &out) }
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func write(_ value: Logger.MetadataValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): JSONValue.string(s).write(into: &out)
        case .stringConvertible(let c): JSONValue.string(c.description).write(into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let d):
            out.append(UInt8(ascii: "{"))
            for (i, key) in d.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.string(key).write(into: &out)
                out.append(UInt8(ascii: ":"))
                if isSensitive(key) { redacted.write(into: &out) } else { write(d[key]!, into: &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `key` contains `token`, `password`, `secret` or `authorization`, any case.
    static func isSensitive(_ key: String) -> Bool {
        var ascii = key
        let answer: Bool? = ascii.withUTF8 { bytes in
            // Non-ASCII keys take Unicode lowercasing below (a Kelvin sign lowercases to `k`).
            bytes.contains(where: { $0 >= 0x80 }) ? nil : needles.contains { contains(bytes, $0) }
        }
        if let answer { return answer }
        let lower = Array(key.lowercased().utf8)
        return needles.contains { n in lower.withUnsafeBufferPointer { contains($0, n) } }
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
