import Foundation
import KubeAPI

/// Runtime of the library functions beyond the core operators: optionals, `type()`, time,
/// ext strings (`charAt`, `indexOf`, `replace`, `substring`, `join`, `format`, …), Kubernetes
/// lists (`isSorted`, `sum`, `min`, `max`, `indexOf`), ext lists and sets, regex `find`, and the
/// Kubernetes URL, quantity and format libraries (`CELKubernetesLibrary`). Returns nil for names
/// it does not handle (the core functions in `CELOperators`).
enum CELLibrary {
    static func call(_ name: String, receiver: Bool, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        if let r = try CELKubernetesLibrary.call(name, receiver: receiver, v) { return r }
        switch (name, v.count) {
        case ("dyn", 1): return v[0]
        case ("type", 1): return CELValue.type(CELValue.typeName(v[0]))
        case ("optional.of", 1): return CELValue.some(v[0])
        case ("optional.none", 0): return CELValue.none
        case ("optional.ofNonZeroValue", 1): return isZero(v[0]) ? CELValue.none : CELValue.some(v[0])
        case ("hasValue", 1): if let o = CELValue.optional(v[0]) { return .bool(o != nil) }
        case ("value", 1):
            if let o = CELValue.optional(v[0]) {
                guard let inner = o else { throw CELEvalError(message: "optional.none() dereference") }
                return inner
            }
        case ("orValue", 2): if let o = CELValue.optional(v[0]) { return o ?? v[1] }
        case ("or", 2): if let o = CELValue.optional(v[0]) { return o != nil ? v[0] : v[1] }
        case ("duration", 1):
            if CELValue.kind(v[0]) == "duration" { return v[0] }
            guard let s = v[0].stringValue, let seconds = DurationText.seconds(s) else {
                throw CELEvalError(message: "type conversion error from 'string' to 'google.protobuf.Duration'")
            }
            return CELValue.duration(seconds)
        case ("timestamp", 1):
            if CELValue.kind(v[0]) == "timestamp" { return v[0] }
            if case .int(let i) = v[0] { return CELValue.timestamp(Double(i)) }
            guard let s = v[0].stringValue, let seconds = TimestampText.seconds(s) else {
                throw CELEvalError(message: "type conversion error from 'string' to 'google.protobuf.Timestamp'")
            }
            return CELValue.timestamp(seconds)
        case ("string", 1): if let t = CELValue.text(v[0]) { return .string(t) }
        case ("int", 1): if let s = CELValue.seconds(v[0], kind: "timestamp") { return .int(Int64(s.rounded(.down))) }
        default: break
        }
        if let r = try time(name, v) { return r }
        if let r = try strings(name, v) { return r }
        return try lists(name, v)
    }

    static func isZero(_ v: JSONValue) -> Bool {
        switch v {
        case .null: true
        case .bool(let b): !b
        case .int(let i): i == 0
        case .double(let d): d == 0
        case .string(let s): s.isEmpty
        case .array(let a): a.isEmpty
        case .object(let o): o.isEmpty
        }
    }

    private static func time(_ name: String, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        guard let first = v.first else { return nil }
        if let d = CELValue.seconds(first, kind: "duration") {
            switch name {
            case "getHours": return .int(Int64(d / 3600))
            case "getMinutes": return .int(Int64(d / 60))
            case "getSeconds": return .int(Int64(d))
            case "getMilliseconds": return .int(Int64((d * 1000).truncatingRemainder(dividingBy: 1000)))
            default: return nil
            }
        }
        guard let t = CELValue.seconds(first, kind: "timestamp") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        if v.count == 2, let zone = v[1].stringValue {
            guard let tz = TimeZone(identifier: zone) ?? TimeZone(abbreviation: zone) else {
                throw CELEvalError(message: "unknown time zone \(zone)")
            }
            calendar.timeZone = tz
        } else {
            calendar.timeZone = TimeZone(identifier: "UTC")!
        }
        let date = Date(timeIntervalSince1970: t)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond, .weekday], from: date)
        switch name {
        case "getFullYear": return .int(Int64(c.year ?? 0))
        case "getMonth": return .int(Int64((c.month ?? 1) - 1))
        case "getDate": return .int(Int64(c.day ?? 1))
        case "getDayOfMonth": return .int(Int64((c.day ?? 1) - 1))
        case "getDayOfWeek": return .int(Int64((c.weekday ?? 1) - 1))
        case "getDayOfYear": return .int(Int64((calendar.ordinality(of: .day, in: .year, for: date) ?? 1) - 1))
        case "getHours": return .int(Int64(c.hour ?? 0))
        case "getMinutes": return .int(Int64(c.minute ?? 0))
        case "getSeconds": return .int(Int64(c.second ?? 0))
        case "getMilliseconds": return .int(Int64((c.nanosecond ?? 0) / 1_000_000))
        default: return nil
        }
    }

    private static func strings(_ name: String, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        guard let s = v.first?.stringValue else { return nil }
        let chars = Array(s)
        func int(_ i: Int) -> Int? { if case .int(let n)? = v.count > i ? v[i] : nil { return Int(n) }; return nil }
        func str(_ i: Int) -> String? { v.count > i ? v[i].stringValue : nil }
        switch name {
        case "charAt":
            guard let i = int(1) else { return nil }
            guard i >= 0, i <= chars.count else { throw CELEvalError(message: "index out of range: \(i)") }
            return .string(i == chars.count ? "" : String(chars[i]))
        case "indexOf", "lastIndexOf":
            guard let sub = str(1) else { return nil }
            let subChars = Array(sub)
            let start = int(2) ?? (name == "indexOf" ? 0 : chars.count)
            guard start >= 0, start <= chars.count else { throw CELEvalError(message: "index out of range: \(start)") }
            if subChars.isEmpty { return .int(Int64(start)) }
            let positions = chars.count >= subChars.count ? Array(0...(chars.count - subChars.count)) : []
            let matches = positions.filter { Array(chars[$0..<($0 + subChars.count)]) == subChars }
            let found = name == "indexOf" ? matches.first { $0 >= start } : matches.last { $0 <= start }
            return .int(Int64(found ?? -1))
        case "replace":
            guard let from = str(1), let to = str(2) else { return nil }
            let limit = int(3) ?? -1
            if limit < 0 { return .string(s.replacingOccurrences(of: from, with: to)) }
            var out = ""
            var rest = Substring(s)
            var done = 0
            while done < limit, !from.isEmpty, let r = rest.range(of: from) {
                out += rest[..<r.lowerBound] + to
                rest = rest[r.upperBound...]
                done += 1
            }
            return .string(out + rest)
        case "substring":
            guard let start = int(1) else { return nil }
            let end = int(2) ?? chars.count
            guard start >= 0, end <= chars.count, start <= end else {
                throw CELEvalError(message: "index out of range: \(start > end ? start : end)")
            }
            return .string(String(chars[start..<end]))
        case "reverse": return .string(String(chars.reversed()))
        case "split":
            guard let sep = str(1) else { return nil }
            var parts = sep.isEmpty ? chars.map(String.init) : s.components(separatedBy: sep)
            if let limit = int(2), limit > 0, parts.count > limit {
                parts = Array(parts[..<(limit - 1)]) + [parts[(limit - 1)...].joined(separator: sep)]
            }
            if let limit = int(2), limit == 0 { parts = [] }
            return .array(parts.map(JSONValue.string))
        case "strings.quote":
            return .string(GoJSON.quote(s).replacingOccurrences(of: "\\u003c", with: "<").replacingOccurrences(of: "\\u003e", with: ">")
                .replacingOccurrences(of: "\\u0026", with: "&"))
        case "format":
            guard case .array(let args)? = v.count > 1 ? v[1] : nil else { return nil }
            return .string(try CELFormat.format(s, args))
        case "find", "findAll":
            guard let pattern = str(1), let re = try? NSRegularExpression(pattern: pattern) else {
                throw CELEvalError(message: "invalid regular expression")
            }
            let ns = s as NSString
            let found = re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
            if name == "find" { return .string(found.first ?? "") }
            let limit = int(2) ?? -1
            return .array((limit < 0 ? found : Array(found.prefix(limit))).map(JSONValue.string))
        default: return nil
        }
    }

    private static func lists(_ name: String, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        if name == "lists.range", case .int(let n)? = v.first { return .array((0..<max(0, n)).map { .int($0) }) }
        if name.hasPrefix("sets."), v.count == 2, case .array(let a) = v[0], case .array(let b) = v[1] {
            switch name {
            case "sets.contains": return .bool(b.allSatisfy { x in a.contains { CELOperators.equal($0, x) } })
            case "sets.equivalent":
                return .bool(b.allSatisfy { x in a.contains { CELOperators.equal($0, x) } } && a.allSatisfy { x in b.contains { CELOperators.equal($0, x) } })
            case "sets.intersects": return .bool(b.contains { x in a.contains { CELOperators.equal($0, x) } })
            default: return nil
            }
        }
        guard case .array(let a)? = v.first else { return nil }
        switch name {
        case "isSorted":
            for i in a.indices.dropFirst() {
                if try CELOperators.compare(a[i - 1], a[i]) > 0 { return .bool(false) }
            }
            return .bool(true)
        case "sum":
            var total: JSONValue = .int(0)
            if let f = a.first, CELValue.kind(f) == "duration" { total = CELValue.duration(0) } else if case .double? = a.first { total = .double(0) }
            for x in a { total = try CELOperators.binary("+", total, x) }
            return total
        case "min", "max":
            guard var best = a.first else { throw CELEvalError(message: "\(name)(list) argument must not be empty") }
            for x in a.dropFirst() {
                let c = try CELOperators.compare(x, best)
                if name == "min" ? c < 0 : c > 0 { best = x }
            }
            return best
        case "indexOf", "lastIndexOf":
            guard v.count == 2 else { return nil }
            let idx = name == "indexOf" ? a.firstIndex { CELOperators.equal($0, v[1]) } : a.lastIndex { CELOperators.equal($0, v[1]) }
            return .int(Int64(idx ?? -1))
        case "distinct":
            var out: [JSONValue] = []
            for x in a where !out.contains(where: { CELOperators.equal($0, x) }) { out.append(x) }
            return .array(out)
        case "reverse": return .array(a.reversed())
        case "sort":
            var failure: CELEvalError?
            let sorted = a.sorted { x, y in
                do throws(CELEvalError) { return try CELOperators.compare(x, y) < 0 } catch { failure = error; return false }
            }
            if let failure { throw failure }
            return .array(sorted)
        case "flatten": return .array(a.flatMap { $0.arrayValue ?? [$0] })
        case "slice":
            guard v.count == 3, case .int(let from) = v[1], case .int(let to) = v[2] else { return nil }
            guard from >= 0, to <= a.count, from <= to else { throw CELEvalError(message: "cannot slice(\(from), \(to)), list is length \(a.count)") }
            return .array(Array(a[Int(from)..<Int(to)]))
        case "first": return a.first.map(CELValue.some) ?? CELValue.none
        case "last": return a.last.map(CELValue.some) ?? CELValue.none
        case "join":
            let sep = v.count > 1 ? (v[1].stringValue ?? "") : ""
            return .string(a.map { $0.stringValue ?? $0.jsonString() }.joined(separator: sep))
        default: return nil
        }
    }
}
