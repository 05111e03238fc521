import Foundation
import KubeAPI

/// CEL operators and the supported functions (see docs/testserver.md for the list).
enum CELOperators {
    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    static func binary(_ op: String, _ a: JSONValue, _ b: JSONValue) throws(CELEvalError) -> JSONValue {
        switch op {
        case "==": return .bool(a == b)
        case "!=": return .bool(a != b)
        case "in":
            switch b {
            case .array(let items): return .bool(items.contains(a))
            case .object(let o): return .bool(a.stringValue.map { o[$0] != nil } ?? false)
            default: throw CELEvalError(message: "no such overload for in")
            }
        case "<", "<=", ">", ">=":
            let ordering: Int
            if let x = number(a), let y = number(b) {
                ordering = x < y ? -1 : (x > y ? 1 : 0)
            } else if case .string(let x) = a, case .string(let y) = b {
                ordering = x < y ? -1 : (x > y ? 1 : 0)
            } else {
                throw CELEvalError(message: "no such overload for \(op)")
            }
            switch op {
            case "<": return .bool(ordering < 0)
            case "<=": return .bool(ordering <= 0)
            case ">": return .bool(ordering > 0)
            default: return .bool(ordering >= 0)
            }
        case "+":
            switch (a, b) {
            case (.int(let x), .int(let y)): return .int(x &+ y)
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.array(let x), .array(let y)): return .array(x + y)
            default:
                if let x = number(a), let y = number(b) { return .double(x + y) }
            }
        case "-", "*", "/", "%":
            if case .int(let x) = a, case .int(let y) = b {
                switch op {
                case "-": return .int(x &- y)
                case "*": return .int(x &* y)
                default:
                    guard y != 0 else { throw CELEvalError(message: "division by zero") }
                    return .int(op == "/" ? x / y : x % y)
                }
            }
            if let x = number(a), let y = number(b), op != "%" {
                return .double(op == "-" ? x - y : (op == "*" ? x * y : x / y))
            }
        default:
            break
        }
        throw CELEvalError(message: "no such overload for \(op)")
    }

    static func function(_ name: String, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue {
        switch (name, v.count) {
        case ("size", 1):
            switch v[0] {
            case .string(let s): return .int(Int64(s.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            default: break
            }
        case ("startsWith", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(s.hasPrefix(p)) }
        case ("endsWith", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(s.hasSuffix(p)) }
        case ("contains", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(s.contains(p)) }
        case ("matches", 2):
            if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(ScalarChecks.matches(s, p)) }
        case ("lowerAscii", 1): if let s = v[0].stringValue { return .string(s.lowercased()) }
        case ("upperAscii", 1): if let s = v[0].stringValue { return .string(s.uppercased()) }
        case ("trim", 1): if let s = v[0].stringValue { return .string(s.trimmingCharacters(in: .whitespaces)) }
        case ("split", 2):
            if let s = v[0].stringValue, let sep = v[1].stringValue {
                return .array(s.components(separatedBy: sep).map(JSONValue.string))
            }
        case ("int", 1):
            if case .int = v[0] { return v[0] }
            if case .double(let d) = v[0] { return .int(Int64(d)) }
            if let s = v[0].stringValue, let i = Int64(s) { return .int(i) }
        case ("double", 1): if let d = number(v[0]) { return .double(d) }
        case ("string", 1):
            switch v[0] {
            case .string: return v[0]
            case .int(let i): return .string(String(i))
            case .bool(let b): return .string(b ? "true" : "false")
            case .double(let d): return .string(String(d))
            default: break
            }
        case ("duration", 1):
            if let s = v[0].stringValue, let seconds = DurationText.seconds(s) { return .double(seconds) }
            throw CELEvalError(message: "invalid duration")
        default:
            throw CELEvalError(message: "function \(name) with \(v.count) argument(s) is not supported by the test server")
        }
        throw CELEvalError(message: "no such overload for \(name)")
    }
}

/// Go duration strings (`1h30m`, `90s`, `250ms`) in seconds.
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000001), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let num = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(num) else { return nil }
            rest = rest.dropFirst(num.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            total += value * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return total
    }
}
