import Foundation
import KubeAPI

/// CEL operators and the core functions (see docs/testserver.md for the whole CEL support table).
enum CELOperators {
    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// CEL equality: numbers compare across int/double, quantities by value, the rest structurally.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        if CELValue.kind(a) == "quantity", CELValue.kind(b) == "quantity" {
            return CELKubernetesLibrary.quantityValue(a) == CELKubernetesLibrary.quantityValue(b)
        }
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        default: return a == b
        }
    }

    /// Ordering of two comparable values: -1, 0 or 1.
    static func compare(_ a: JSONValue, _ b: JSONValue) throws(CELEvalError) -> Int {
        if let x = number(a), let y = number(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        default: break
        }
        for kind in ["duration", "timestamp"] {
            if let x = CELValue.seconds(a, kind: kind), let y = CELValue.seconds(b, kind: kind) { return x < y ? -1 : (x > y ? 1 : 0) }
        }
        throw CELEvalError(message: "no such overload")
    }

    static func binary(_ op: String, _ a: JSONValue, _ b: JSONValue) throws(CELEvalError) -> JSONValue {
        switch op {
        case "==": return .bool(equal(a, b))
        case "!=": return .bool(!equal(a, b))
        case "in":
            switch b {
            case .array(let items): return .bool(items.contains { equal($0, a) })
            case .object(let o): return .bool(a.stringValue.map { o[$0] != nil } ?? false)
            default: throw CELEvalError(message: "no such overload")
            }
        case "<", "<=", ">", ">=":
            let ordering = try compare(a, b)
            switch op {
            case "<": return .bool(ordering < 0)
            case "<=": return .bool(ordering <= 0)
            case ">": return .bool(ordering > 0)
            default: return .bool(ordering >= 0)
            }
        case "+":
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let (r, o) = x.addingReportingOverflow(y)
                if o { throw CELEvalError(message: "integer overflow") }
                return .int(r)
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.array(let x), .array(let y)): return .array(x + y)
            case (.double(let x), .double(let y)): return .double(x + y)
            default: break
            }
            if let d = CELValue.seconds(b, kind: "duration") {
                if let t = CELValue.seconds(a, kind: "timestamp") { return CELValue.timestamp(t + d) }
                if let e = CELValue.seconds(a, kind: "duration") { return CELValue.duration(e + d) }
            }
            if let d = CELValue.seconds(a, kind: "duration"), let t = CELValue.seconds(b, kind: "timestamp") { return CELValue.timestamp(t + d) }
        case "-":
            if let t = CELValue.seconds(a, kind: "timestamp") {
                if let u = CELValue.seconds(b, kind: "timestamp") { return CELValue.duration(t - u) }
                if let d = CELValue.seconds(b, kind: "duration") { return CELValue.timestamp(t - d) }
            }
            if let x = CELValue.seconds(a, kind: "duration"), let y = CELValue.seconds(b, kind: "duration") { return CELValue.duration(x - y) }
            fallthrough
        case "*", "/", "%":
            if case .int(let x) = a, case .int(let y) = b {
                switch op {
                case "-":
                    let (r, o) = x.subtractingReportingOverflow(y)
                    if o { throw CELEvalError(message: "integer overflow") }
                    return .int(r)
                case "*":
                    let (r, o) = x.multipliedReportingOverflow(by: y)
                    if o { throw CELEvalError(message: "integer overflow") }
                    return .int(r)
                default:
                    guard y != 0 else { throw CELEvalError(message: op == "/" ? "division by zero" : "modulus by zero") }
                    return .int(op == "/" ? x / y : x % y)
                }
            }
            if case .double(let x) = a, case .double(let y) = b, op != "%" {
                return .double(op == "-" ? x - y : (op == "*" ? x * y : x / y))
            }
        default:
            break
        }
        throw CELEvalError(message: "no such overload")
    }

    static func function(_ name: String, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue {
        switch (name, v.count) {
        case ("size", 1):
            switch v[0] {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            default: break
            }
        case ("startsWith", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(s.hasPrefix(p)) }
        case ("endsWith", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(s.hasSuffix(p)) }
        case ("contains", 2): if let s = v[0].stringValue, let p = v[1].stringValue { return .bool(p.isEmpty || s.contains(p)) }
        case ("matches", 2):
            if let s = v[0].stringValue, let p = v[1].stringValue {
                guard (try? NSRegularExpression(pattern: p)) != nil else { throw CELEvalError(message: "invalid regular expression: \(p)") }
                return .bool(ScalarChecks.matches(s, p))
            }
        case ("lowerAscii", 1): if let s = v[0].stringValue { return .string(String(s.map { $0.isASCII ? Character($0.lowercased()) : $0 })) }
        case ("upperAscii", 1): if let s = v[0].stringValue { return .string(String(s.map { $0.isASCII ? Character($0.uppercased()) : $0 })) }
        case ("trim", 1): if let s = v[0].stringValue { return .string(s.trimmingCharacters(in: .whitespacesAndNewlines)) }
        case ("int", 1):
            if case .int = v[0] { return v[0] }
            if case .double(let d) = v[0] {
                guard d.isFinite, d > -9.3e18, d < 9.3e18 else { throw CELEvalError(message: "double out of int range") }
                return .int(Int64(d))
            }
            if let s = v[0].stringValue {
                guard let i = Int64(s) else { throw CELEvalError(message: "type conversion error from 'string' to 'int'") }
                return .int(i)
            }
        case ("uint", 1):
            if case .int(let i) = v[0], i >= 0 { return v[0] }
            if let s = v[0].stringValue, let i = UInt64(s) { return .int(Int64(clamping: i)) }
            throw CELEvalError(message: "uint out of range")
        case ("double", 1):
            if let d = number(v[0]) { return .double(d) }
            if let s = v[0].stringValue {
                guard let d = Double(s) else { throw CELEvalError(message: "type conversion error from 'string' to 'double'") }
                return .double(d)
            }
        case ("bool", 1):
            if case .bool = v[0] { return v[0] }
            switch v[0].stringValue {
            case "true", "TRUE", "True", "t", "1": return .bool(true)
            case "false", "FALSE", "False", "f", "0": return .bool(false)
            default: throw CELEvalError(message: "type conversion error from 'string' to 'bool'")
            }
        case ("bytes", 1): if let s = v[0].stringValue { return .string(s) }
        case ("string", 1):
            switch v[0] {
            case .string: return v[0]
            case .int(let i): return .string(String(i))
            case .bool(let b): return .string(b ? "true" : "false")
            case .double(let d): return .string(CELFormat.double(d))
            default: break
            }
        default:
            throw CELEvalError(message: "function \(name) with \(v.count) argument(s) is not supported by the test server")
        }
        throw CELEvalError(message: "no such overload")
    }
}
