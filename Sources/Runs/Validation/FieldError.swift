/// One invalid field, as the apiserver reports it: a dotted path with `[i]` indexes
/// (`spec.agent.env[2].name`), a reason and a message.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case duplicate = "FieldValueDuplicate"
        case notSupported = "FieldValueNotSupported"
    }

    public var field: String
    public var reason: Reason
    public var message: String

    public init(_ field: String, _ reason: Reason, _ message: String) {
        self.field = field
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Kubernetes resource quantities (`500m`, `2Gi`, `1e3`, `4`): the grammar of `resource.Quantity`.
public enum Quantity {
    /// True when `text` parses as a quantity: sign? digits[.digits] then an optional suffix
    /// (`Ki Mi Gi Ti Pi Ei`, `n u m k M G T P E`, or an exponent `e±N`/`E±N`).
    public static func isValid(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        let intPart = s.prefix { $0.isASCII && $0.isNumber }
        s = s.dropFirst(intPart.count)
        var fracDigits = 0
        if s.first == "." {
            s = s.dropFirst()
            let frac = s.prefix { $0.isASCII && $0.isNumber }
            fracDigits = frac.count
            s = s.dropFirst(frac.count)
        }
        guard intPart.count + fracDigits > 0 else { return false }
        if s.isEmpty { return true }
        if ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"].contains(String(s)) { return true }
        if s.first == "e" || s.first == "E" {
            var exp = s.dropFirst()
            if exp.first == "+" || exp.first == "-" { exp = exp.dropFirst() }
            return !exp.isEmpty && exp.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return false
    }
}
