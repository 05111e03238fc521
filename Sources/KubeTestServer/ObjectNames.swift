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

    static func isDNS1123Label(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 63 else { return false }
        let bytes = Array(s.utf8)
        func ok(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard ok(bytes.first!), ok(bytes.last!) else { return false }
        return bytes.allSatisfy { ok($0) || $0 == 45 }
    }

    static func isDNS1123Subdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNS1123Label(String($0)) }
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
