import Foundation
import KubeAPI

/// ConfigMap and Secret validation (core `ValidateConfigMap*`, `ValidateSecret*`): key syntax, the
/// 1 MiB total, Secret type-specific keys, and on update `type` and — once `immutable: true` —
/// `immutable`, `data` and `binaryData` frozen.
enum SecretConfigMapValidation {
    static let maxSize = 1024 * 1024
    static let immutableMessage = "field is immutable when `immutable` is set"

    static func configMapKey(_ key: String) -> [String] {
        var errs: [String] = []
        if key.utf8.count > 253 { errs.append("must be no more than 253 bytes") }
        let ok = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 46 || $0 == 95
        }
        if !ok {
            errs.append(NameRules.regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                             "[-._a-zA-Z0-9]+", ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." { errs.append("must not be '.'") } else if key == ".." { errs.append("must not be '..'") } else if key.hasPrefix("..") {
            errs.append("must not start with '..'")
        }
        return errs
    }

    static func configMap(_ obj: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let data = obj["data"]?.objectValue ?? [:]
        let binary = obj["binaryData"]?.objectValue ?? [:]
        var total = 0
        for key in data.keys.sorted() {
            errors += configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            if binary[key] != nil { errors.append(.invalid("data[\(key)]", key, "duplicate of key present in binaryData")) }
            total += data[key]?.stringValue?.utf8.count ?? 0
        }
        for key in binary.keys.sorted() {
            errors += configMapKey(key).map { .invalid("binaryData[\(key)]", key, $0) }
            total += decodedLength(binary[key])
        }
        if total > maxSize { errors.append(.tooLong("", maxSize)) }
        if let old { errors += immutability(obj, old, fields: ["data", "binaryData"]) }
        return errors
    }

    static func secret(_ obj: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old, old["type"] != obj["type"] {
            errors.append(.invalid("type", obj["type"] ?? .string(""), "field is immutable"))
        }
        if let old { errors += immutability(obj, old, fields: ["data"]) }
        let data = obj["data"]?.objectValue ?? [:]
        var total = 0
        for key in data.keys.sorted() {
            errors += configMapKey(key).map { .invalid("data[\(key)]", key, $0) }
            total += decodedLength(data[key])
        }
        if total > maxSize { errors.append(.tooLong("data", maxSize)) }
        func required(_ key: String) -> FieldError { .required("data[\(key)]", "") }
        switch obj["type"]?.stringValue ?? "" {
        case "kubernetes.io/service-account-token":
            if (obj[path: ["metadata", "annotations", "kubernetes.io/service-account.name"]]?.stringValue ?? "").isEmpty {
                errors.append(.required("metadata.annotations[kubernetes.io/service-account.name]", ""))
            }
        case "kubernetes.io/dockercfg":
            errors += jsonKey(data, ".dockercfg")
        case "kubernetes.io/dockerconfigjson":
            errors += jsonKey(data, ".dockerconfigjson")
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil { errors += [required("username"), required("password")] }
        case "kubernetes.io/ssh-auth":
            if decodedLength(data["ssh-privatekey"]) == 0 { errors.append(required("ssh-privatekey")) }
        case "kubernetes.io/tls":
            if data["tls.crt"] == nil { errors.append(required("tls.crt")) }
            if data["tls.key"] == nil { errors.append(required("tls.key")) }
        default:
            break
        }
        return errors
    }

    private static func jsonKey(_ data: [String: JSONValue], _ key: String) -> [FieldError] {
        guard let value = data[key] else { return [.required("data[\(key)]", "")] }
        let bytes = value.stringValue.flatMap { Data(base64Encoded: $0) } ?? Data()
        if case .object? = try? JSONValue(parsing: Array(bytes)) { return [] }
        return [.invalid("data[\(key)]", "<secret contents redacted>", "unexpected end of JSON input")]
    }

    private static func immutability(_ obj: JSONValue, _ old: JSONValue, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if obj["immutable"]?.boolValue != true { errors.append(.forbidden("immutable", immutableMessage)) }
        for f in fields where (obj[f]?.objectValue ?? [:]) != (old[f]?.objectValue ?? [:]) {
            errors.append(.forbidden(f, immutableMessage))
        }
        return errors
    }

    private static func decodedLength(_ v: JSONValue?) -> Int {
        guard let s = v?.stringValue else { return 0 }
        return Data(base64Encoded: s)?.count ?? s.utf8.count * 3 / 4
    }
}
