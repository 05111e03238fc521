import Foundation
import KubeAPI

/// ext strings' `"…".format([args])`: `%s %d %f %.Nf %e %x %X %o %b %%`.
enum CELFormat {
    static func double(_ d: Double) -> String {
        if d.rounded() == d && abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func text(_ v: JSONValue) -> String {
        if let t = CELValue.text(v) { return t }
        switch v {
        case .string(let s): return s
        case .double(let d): return double(d)
        case .array(let a): return "[" + a.map(text).joined(separator: ", ") + "]"
        case .object(let o) where CELValue.kind(v) == nil:
            return "{" + o.keys.sorted().map { "\(text(.string($0))): \(text(o[$0]!))" }.joined(separator: ", ") + "}"
        default:
            if CELValue.kind(v) == "type", let name = CELValue.payload(v)?.stringValue { return name }
            return v.jsonString()
        }
    }

    static func format(_ template: String, _ args: [JSONValue]) throws(CELEvalError) -> String {
        var out = ""
        var i = template.startIndex
        var n = 0
        func next() throws(CELEvalError) -> JSONValue {
            guard n < args.count else { throw CELEvalError(message: "index \(n) out of range") }
            defer { n += 1 }
            return args[n]
        }
        while i < template.endIndex {
            let c = template[i]
            i = template.index(after: i)
            guard c == "%" else { out.append(c); continue }
            guard i < template.endIndex else { throw CELEvalError(message: "unexpected end of format string") }
            var precision: Int?
            if template[i] == "." {
                i = template.index(after: i)
                let digits = template[i...].prefix { $0.isNumber }
                precision = Int(digits)
                i = template.index(i, offsetBy: digits.count)
            }
            guard i < template.endIndex else { throw CELEvalError(message: "unexpected end of format string") }
            let verb = template[i]
            i = template.index(after: i)
            switch verb {
            case "%": out += "%"
            case "s": out += text(try next())
            case "d":
                guard case .int(let v) = try next() else { throw CELEvalError(message: "error during formatting: integer clause can only be used on integers") }
                out += String(v)
            case "f", "e":
                guard let d = CELOperators.number(try next()) else { throw CELEvalError(message: "error during formatting: fixed-point clause can only be used on doubles") }
                out += String(format: "%.\(precision ?? 6)\(verb)", d)
            case "x", "X", "o", "b":
                let v = try next()
                let radix = verb == "o" ? 8 : (verb == "b" ? 2 : 16)
                var s: String
                if case .int(let x) = v { s = String(x, radix: radix) } else if let str = v.stringValue {
                    s = str.utf8.map { String($0, radix: 16) }.joined()
                } else { throw CELEvalError(message: "error during formatting: unsupported type") }
                if verb == "X" { s = s.uppercased() }
                out += s
            default: throw CELEvalError(message: "could not parse formatting clause: unrecognized formatting clause \"\(verb)\"")
            }
        }
        return out
    }
}
