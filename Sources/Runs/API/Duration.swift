/// A duration written as in the configuration and in `spec.timeout`/`spec.ttl`: one or more
/// `<digits><unit>` parts with units `s`, `m`, `h`, `d` (`90s`, `15m`, `24h`, `3d`, `1h30m`).
///
/// Contract: `description` is canonical — whole weeks' multiples of days as `Nd` (`7d`), anything
/// else in hours, minutes and seconds without zero parts (`24h`, `72h`, `1h30m`), `0s` for zero —
/// and `parse(d.description) == d` for every value. Encodes as that text.
public struct RunDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public static func seconds(_ s: Int64) -> RunDuration { RunDuration(seconds: s) }
    public static func minutes(_ m: Int64) -> RunDuration { RunDuration(seconds: m * 60) }
    public static func hours(_ h: Int64) -> RunDuration { RunDuration(seconds: h * 3600) }
    public static func days(_ d: Int64) -> RunDuration { RunDuration(seconds: d * 86400) }

    /// The pattern the CRDs put on duration fields; `parse` accepts exactly these strings
    /// (up to overflow, which `parse` rejects).
    public static let pattern = "^([0-9]+(s|m|h|d))+$"

    /// Parses `90s`, `15m`, `24h`, `3d` and concatenations (`1h30m`); `nil` for anything else,
    /// including an empty string, units missing, unknown units, or a value beyond 100 years.
    public static func parse(_ text: String) -> RunDuration? {
        var total: Int64 = 0
        var digits: Int64 = 0
        var haveDigits = false
        var parts = 0
        for c in text.unicodeScalars {
            if let d = c.properties.numericType, d == .decimal, c.isASCII, let v = Int64(String(c)) {
                digits = digits * 10 + v
                haveDigits = true
                if digits > 100 * 365 * 86400 { return nil }
                continue
            }
            guard haveDigits else { return nil }
            let unit: Int64
            switch c {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            default: return nil
            }
            total += digits * unit
            if total > 100 * 365 * 86400 { return nil }
            digits = 0
            haveDigits = false
            parts += 1
        }
        guard !haveDigits, parts > 0 else { return nil }
        return RunDuration(seconds: total)
    }

    public var description: String {
        if seconds == 0 { return "0s" }
        if seconds % 86400 == 0 && seconds >= 7 * 86400 { return "\(seconds / 86400)d" }
        var rest = seconds
        var out = ""
        for (unit, name) in [(Int64(3600), "h"), (60, "m"), (1, "s")] where rest >= unit {
            out += "\(rest / unit)\(name)"
            rest %= unit
        }
        return out
    }

    public static func < (a: RunDuration, b: RunDuration) -> Bool { a.seconds < b.seconds }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = RunDuration.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "invalid duration \"\(text)\" (want e.g. 90s, 15m, 24h, 3d)"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
