/// apimachinery's name formats (`validate/content`), returning its error strings.
enum NameRules {
    static func regexError(_ msg: String, _ re: String, _ examples: [String]) -> String {
        if examples.isEmpty { return "\(msg) (regex used for validation is '\(re)')" }
        return msg + " (e.g. " + examples.map { "'\($0)', " }.joined(separator: " or ") + "regex used for validation is '\(re)')"
    }

    static let dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
    static let labelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelKeyErr = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    static func dns1123Subdomain(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 253 { errs.append("must be no more than 253 bytes") }
        if !ObjectNames.matchesDNS1123Subdomain(s) {
            errs.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, ["example.com"]))
        }
        return errs
    }

    static func dns1123Label(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append("must be no more than 63 bytes") }
        if s.utf8.contains(UInt8(ascii: ".")) || !ObjectNames.matchesDNS1123Subdomain(s) {
            if ObjectNames.matchesDNS1123Subdomain(s) {
                errs.append("must not contain dots")
            } else {
                errs.append(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, ["my-name", "123-abc"]))
            }
        }
        return errs
    }

    private static func isLabelKeyName(_ s: String) -> Bool { isLabelKeyName(s[...]) }

    private static func isLabelKeyName(_ s: Substring) -> Bool {
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        guard let first = s.utf8.first, let last = s.utf8.last, alnum(first), alnum(last) else { return false }
        return s.utf8.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// Whether `qualifiedName(value)` finds nothing, without building the parts (every label key
    /// of every write is checked; the error texts are only needed when it fails).
    static func isQualifiedName(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return utf8.count <= 63 && isLabelKeyName(value) }
        let name = value[utf8.index(after: slash)...]
        return !name.utf8.contains(UInt8(ascii: "/")) && name.utf8.count <= 63 && isLabelKeyName(name)
            && ObjectNames.isDNS1123Subdomain(value[..<slash])
    }

    /// `IsQualifiedName` / `IsLabelKey`: `[prefix/]name`.
    static func qualifiedName(_ value: String) -> [String] {
        if isQualifiedName(value) { return [] }
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            if parts[0].isEmpty {
                errs.append("prefix part must be non-empty")
            } else {
                errs += dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
            name = parts[1]
        default:
            return ["a valid label key " + regexError(labelKeyErr, labelKeyFmt, ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errs.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errs.append("name part must be no more than 63 bytes")
        }
        if !isLabelKeyName(name) {
            errs.append("name part " + regexError(labelKeyErr, labelKeyFmt, ["MyName", "my.name", "123-abc"]))
        }
        return errs
    }

    static func labelValue(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > 63 { errs.append("must be no more than 63 bytes") }
        if !value.isEmpty, !isLabelKeyName(value) {
            errs.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                                   "(" + labelKeyFmt + ")?", ["MyValue", "my_value", "12345"]))
        }
        return errs
    }
}
