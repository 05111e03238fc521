import Foundation

/// Go duration strings (`1h30m`, `-90s`, `250ms`) in seconds, and back (Go's `Duration.String`).
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var sign = 1.0
        if rest.hasPrefix("-") { sign = -1; rest = rest.dropFirst() } else if rest.hasPrefix("+") { rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let num = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(num) else { return nil }
            rest = rest.dropFirst(num.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            total += value * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return sign * total
    }

    static func format(_ seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        var out = seconds < 0 ? "-" : ""
        var s = abs(seconds)
        if s < 1 {
            let ms = s * 1000
            return out + (ms >= 1 ? "\(CELFormat.double(ms))ms" : "\(CELFormat.double(ms * 1000))µs")
        }
        let h = Int(s / 3600)
        s -= Double(h * 3600)
        let m = Int(s / 60)
        s -= Double(m * 60)
        if h > 0 { out += "\(h)h" }
        if h > 0 || m > 0 { out += "\(m)m" }
        return out + "\(CELFormat.double((s * 1e9).rounded() / 1e9))s"
    }
}

/// RFC 3339 timestamps in seconds since the epoch, and back (UTC, `Z`).
enum TimestampText {
    static func seconds(_ text: String) -> Double? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? { Range(m.range(at: i), in: text).map { String(text[$0]) } }
        var c = DateComponents()
        c.year = Int(group(1)!); c.month = Int(group(2)!); c.day = Int(group(3)!)
        c.hour = Int(group(4)!); c.minute = Int(group(5)!); c.second = Int(group(6)!)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c) else { return nil }
        var t = date.timeIntervalSince1970 + (group(7).flatMap { Double("0" + $0) } ?? 0)
        if let zone = group(8), zone.count == 6 {
            let sign: Double = zone.hasPrefix("-") ? -1 : 1
            let parts = zone.dropFirst().split(separator: ":").compactMap { Double($0) }
            t -= sign * (parts[0] * 3600 + parts[1] * 60)
        }
        return t
    }

    static func format(_ seconds: Double) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }
}
