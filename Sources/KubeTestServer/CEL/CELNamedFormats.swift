import Foundation

/// The named formats of the Kubernetes `format` CEL library and their validators' messages
/// (k8s.io/apimachinery/pkg/util/validation).
enum CELNamedFormats {
    static let label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let labelValue = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let namePart = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let qualifiedName = "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"

    static func full(_ s: String, _ pattern: String) -> Bool {
        s.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil
    }

    private static func maskTrailingDash(_ s: String) -> String {
        s.count > 1 && s.hasSuffix("-") ? String(s.dropLast()) + "a" : s
    }

    static func dnsLabel(_ s: String) -> [String] {
        var out: [String] = []
        if s.utf8.count > 63 { out.append("must be no more than 63 characters") }
        if !full(s, "[a-z0-9]([-a-z0-9]*[a-z0-9])?") { out.append(label) }
        return out
    }

    static func dnsSubdomain(_ s: String) -> [String] {
        var out: [String] = []
        if s.utf8.count > 253 { out.append("must be no more than 253 characters") }
        if !full(s, "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*") { out.append(subdomain) }
        return out
    }

    static func validate(_ name: String, _ s: String) -> [String] {
        switch name {
        case "dns1123Label": return dnsLabel(s)
        case "dns1123LabelPrefix": return dnsLabel(maskTrailingDash(s))
        case "dns1123Subdomain": return dnsSubdomain(s)
        case "dns1123SubdomainPrefix": return dnsSubdomain(maskTrailingDash(s))
        case "dns1035Label", "dns1035LabelPrefix":
            let v = name == "dns1035Label" ? s : maskTrailingDash(s)
            var out: [String] = []
            if v.utf8.count > 63 { out.append("must be no more than 63 characters") }
            if !full(v, "[a-z]([-a-z0-9]*[a-z0-9])?") { out.append(dns1035) }
            return out
        case "labelValue":
            var out: [String] = []
            if s.utf8.count > 63 { out.append("must be no more than 63 characters") }
            if !full(s, "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?") { out.append(labelValue) }
            return out
        case "qualifiedName":
            let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            var out: [String] = []
            var namePart = s
            if parts.count == 2 {
                namePart = parts[1]
                if parts[0].isEmpty { out.append("prefix part must be non-empty") } else { out += dnsSubdomain(parts[0]).map { "prefix part " + $0 } }
            } else if parts.count > 2 {
                return [qualifiedName]
            }
            if namePart.isEmpty { out.append("name part must be non-empty") } else if namePart.utf8.count > 63 {
                out.append("name part must be no more than 63 characters")
            }
            if !full(namePart, "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]") { out.append(Self.namePart) }
            return out
        case "uri": return CELKubernetesLibrary.url(s) == nil ? ["parse \"\(s)\": invalid URI for request"] : []
        case "uuid": return full(s, "(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}") ? [] : ["does not match the UUID format"]
        case "byte": return Data(base64Encoded: s) == nil ? ["invalid base64"] : []
        case "date": return full(s, "\\d{4}-\\d{2}-\\d{2}") ? [] : ["invalid date"]
        case "datetime": return TimestampText.seconds(s) == nil ? ["invalid datetime"] : []
        default: return []
        }
    }
}
