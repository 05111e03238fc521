import Foundation
import KubeAPI

/// Name rules and generated values (uids, generateName suffixes) as kube-apiserver applies them.
enum ObjectNames {
    private static let suffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// Five random characters from the apiserver's alphabet (no vowels, no confusable digits).
    static func randomSuffix() -> String {
        String((0..<5).map { _ in suffixAlphabet.randomElement()! })
    }

    static func uid() -> String { UUID().uuidString.lowercased() }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 bytes.
    static func isDNS1123Label<S: StringProtocol>(_ s: S) -> Bool {
        s.utf8.count <= 63 && !s.utf8.contains(UInt8(ascii: ".")) && matchesDNS1123Subdomain(s)
    }

    /// Dot-separated DNS-1123 labels, at most 253 bytes in all (apimachinery's
    /// `IsDNS1123Subdomain`: the regex and the total length — no limit per label).
    static func isDNS1123Subdomain<S: StringProtocol>(_ s: S) -> Bool {
        s.utf8.count <= 253 && matchesDNS1123Subdomain(s)
    }

    /// Whether `s` matches `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, the
    /// regex alone: apimachinery checks the length apart and reports both. One pass over the bytes,
    /// no copies (it runs for every label key and name of every write).
    static func matchesDNS1123Subdomain<S: StringProtocol>(_ s: S) -> Bool {
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        var label = 0
        var previous = UInt8(ascii: ".")
        for b in s.utf8 {
            if b == UInt8(ascii: ".") {
                guard label > 0, alnum(previous) else { return false }
                label = 0
            } else {
                guard alnum(b) || (b == UInt8(ascii: "-") && label > 0) else { return false }
                label += 1
            }
            previous = b
        }
        return label > 0 && alnum(previous)
    }

    /// Validates `metadata.name` for a resource; nil when acceptable.
    static func nameError(_ name: String, for type: ResourceType) -> FieldError? {
        switch type.storageKey {
        case "namespaces":
            if isDNS1123Label(name) { return nil }
            if name.utf8.count > 63 { return .invalid("metadata.name", .string(name), "must be no more than 63 characters") }
            if isDNS1123Subdomain(name) { return .invalid("metadata.name", .string(name), "must not contain dots") }
            return .invalid("metadata.name", .string(name), "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
        case "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
             "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io":
            if name == "." || name == ".." {
                return .invalid("metadata.name", .string(name), "may not be '\(name)'")
            }
            if name.contains("/") || name.contains("%") {
                return .invalid("metadata.name", .string(name), "may not contain '/' or '%'")
            }
            return nil
        default:
            if isDNS1123Subdomain(name) { return nil }
            return .invalid("metadata.name", .string(name), "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
        }
    }
}
