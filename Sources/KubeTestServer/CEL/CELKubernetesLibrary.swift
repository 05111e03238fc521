import Foundation
import KubeAPI

/// The Kubernetes CEL libraries: `quantity()`/`isQuantity()` with their comparisons and
/// arithmetic, `url()`/`isURL()` with their getters, and `format.*()` named formats with
/// `validate()`, with the real error texts where a rule can surface them.
enum CELKubernetesLibrary {
    static func call(_ name: String, receiver: Bool, _ v: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        switch (name, v.count) {
        case ("quantity", 1):
            guard let s = v[0].stringValue, let q = quantity(s) else { throw CELEvalError(message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") }
            return q
        case ("isQuantity", 1): return .bool(v[0].stringValue.flatMap(quantity) != nil)
        case ("url", 1):
            guard let s = v[0].stringValue, let u = url(s) else {
                throw CELEvalError(message: "URL parse error during conversion from string: parse \"\(v[0].stringValue ?? "")\": invalid URL")
            }
            return u
        case ("isURL", 1): return .bool(v[0].stringValue.flatMap(url) != nil)
        case ("format.named", 1):
            guard let n = v[0].stringValue, CELFunctions.formatNames.contains(n) else { return CELValue.none }
            return CELValue.some(CELValue.make("format", .string(n)))
        default: break
        }
        if name.hasPrefix("format."), v.isEmpty {
            let n = String(name.dropFirst("format.".count))
            return CELFunctions.formatNames.contains(n) ? CELValue.make("format", .string(n)) : nil
        }
        guard receiver, let first = v.first else { return nil }
        switch CELValue.kind(first) {
        case "quantity": return try quantityMethod(name, first, Array(v.dropFirst()))
        case "url": return urlMethod(name, first)
        case "format":
            guard name == "validate", v.count == 2, let n = CELValue.payload(first)?.stringValue, let s = v[1].stringValue else { return nil }
            let problems = CELNamedFormats.validate(n, s)
            return problems.isEmpty ? CELValue.none : CELValue.some(.array(problems.map(JSONValue.string)))
        default: return nil
        }
    }

    // MARK: quantity

    private static let suffixes: [String: Double] = [
        "": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776, "Pi": 1_125_899_906_842_624,
        "Ei": 1_152_921_504_606_846_976,
    ]

    /// A quantity value parsed like `resource.ParseQuantity`, or nil.
    static func quantity(_ s: String) -> JSONValue? {
        guard let re = try? NSRegularExpression(pattern: "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(.*)$"),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let numRange = Range(m.range(at: 1), in: s), let sufRange = Range(m.range(at: 2), in: s),
              let number = Double(s[numRange]) else { return nil }
        let suffix = String(s[sufRange])
        var multiplier: Double
        if let f = suffixes[suffix] {
            multiplier = f
        } else if let first = suffix.first, first == "e" || first == "E", let exp = Int(suffix.dropFirst()) {
            multiplier = pow(10, Double(exp))
        } else {
            return nil
        }
        if multiplier == 0 { multiplier = 1 }
        return CELValue.make("quantity", .string(s), extra: ["n": .double(number * multiplier)])
    }

    static func quantityValue(_ q: JSONValue) -> Double {
        if case .double(let d)? = q.objectValue?["n"] { return d }
        return 0
    }

    private static func fromValue(_ d: Double) -> JSONValue {
        let text = d.rounded() == d && abs(d) < 9e18 ? String(Int64(d)) : String(d)
        return CELValue.make("quantity", .string(text), extra: ["n": .double(d)])
    }

    private static func quantityMethod(_ name: String, _ q: JSONValue, _ args: [JSONValue]) throws(CELEvalError) -> JSONValue? {
        let x = quantityValue(q)
        func other() -> Double? {
            guard let a = args.first else { return nil }
            if case .int(let i) = a { return Double(i) }
            return CELValue.kind(a) == "quantity" ? quantityValue(a) : nil
        }
        switch name {
        case "isLessThan": return other().map { .bool(x < $0) }
        case "isGreaterThan": return other().map { .bool(x > $0) }
        case "compareTo": return other().map { .int(x < $0 ? -1 : (x > $0 ? 1 : 0)) }
        case "add": return other().map { fromValue(x + $0) }
        case "sub": return other().map { fromValue(x - $0) }
        case "sign": return .int(x < 0 ? -1 : (x > 0 ? 1 : 0))
        case "isInteger": return .bool(x.rounded() == x && abs(x) < 9.2e18)
        case "asApproximateFloat": return .double(x)
        case "asInteger":
            guard x.rounded() == x, abs(x) < 9.2e18 else { throw CELEvalError(message: "cannot convert value to integer") }
            return .int(Int64(x))
        default: return nil
        }
    }

    // MARK: url

    /// `url()` accepts absolute URIs and absolute paths (`url.ParseRequestURI`).
    static func url(_ s: String) -> JSONValue? {
        guard !s.isEmpty, !s.contains(" ") else { return nil }
        if s.hasPrefix("/") {
            guard URLComponents(string: s) != nil else { return nil }
            return CELValue.make("url", .string(s))
        }
        guard let c = URLComponents(string: s), let scheme = c.scheme, !scheme.isEmpty else { return nil }
        return CELValue.make("url", .string(s))
    }

    private static func urlMethod(_ name: String, _ u: JSONValue) -> JSONValue? {
        guard let s = CELValue.payload(u)?.stringValue, let c = URLComponents(string: s) else { return nil }
        let host = c.percentEncodedHost ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        switch name {
        case "getScheme": return .string(c.scheme ?? "")
        case "getHostname": return .string(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        case "getHost": return .string(c.port.map { "\(bracketed):\($0)" } ?? bracketed)
        case "getPort": return .string(c.port.map(String.init) ?? "")
        case "getEscapedPath": return .string(c.percentEncodedPath)
        case "getQuery":
            var out: [String: JSONValue] = [:]
            for item in c.queryItems ?? [] {
                var list = out[item.name]?.arrayValue ?? []
                list.append(.string(item.value ?? ""))
                out[item.name] = .array(list)
            }
            return .object(out)
        default: return nil
        }
    }
}
