import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: label key syntax (apimachinery's `IsQualifiedName`: an optional DNS-1123 subdomain
/// prefix of at most 253 bytes, `/`, a name of at most 63 bytes) at its edges — the server checks
/// the valid keys with a byte scan and builds the error texts only for the others, so both sides
/// of each edge are asked here.
@Suite(.serialized) struct LabelKeySyntaxConformanceTests {
    typealias T = ConformanceTarget

    /// 253 bytes: three labels of 63, a fourth of 61.
    static let longestPrefix = [String](repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".")
        + "." + String(repeating: "b", count: 61)

    static let accepted = [
        "a", "MyName", "my.name", "123-abc", "a_b", "example.com/MyName", "a.b-c.d/x_y.z", "1/x",
        String(repeating: "x", count: 63), "p/" + String(repeating: "x", count: 63), longestPrefix + "/x",
        String(repeating: "a", count: 63) + ".b/x",
        // apimachinery limits a subdomain to 253 bytes in all, not each of its labels to 63.
        String(repeating: "a", count: 64) + ".b/x",
    ]

    /// Key → the start of the message of its cause (`metadata.labels: Invalid value: "<key>": …`).
    static let refused: [(String, String)] = [
        ("-a", "name part must consist of alphanumeric characters"),
        ("a-", "name part must consist of alphanumeric characters"),
        ("a b", "name part must consist of alphanumeric characters"),
        (String(repeating: "x", count: 64), "name part must be no more than 63 bytes"),
        ("/a", "prefix part must be non-empty"),
        ("example.com/", "name part must be non-empty"),
        ("a/b/c", "a valid label key must consist of alphanumeric characters"),
        ("Example.com/a", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        ("a..b/c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        (".a/c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        ("a./c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        ("-a.b/c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        ("a-.b/c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        ("a_b/c", "prefix part a lowercase RFC 1123 subdomain must consist of"),
        (longestPrefix + "b/x", "prefix part must be no more than 253 bytes"),
    ]

    @Test func labelKeysAtTheEdgesOfTheSyntax() async throws {
        let t = try await T.start()
        for (i, key) in Self.accepted.enumerated() {
            var map = t.configMap("ok-\(i)")
            map.set(path: ["metadata", "labels"], to: .object([key: "v"]))
            let error = await T.error { _ = try await t.client.create(T.configMaps, namespace: t.namespace, map) }
            #expect(error == nil, "\(key): \(T.message(error))")
        }
        for (i, (key, message)) in Self.refused.enumerated() {
            var map = t.configMap("bad-\(i)")
            map.set(path: ["metadata", "labels"], to: .object([key: "v"]))
            let error = await T.error { _ = try await t.client.create(T.configMaps, namespace: t.namespace, map) }
            #expect(error?.code == 422, "\(key)")
            #expect(T.causes(error).first?.field == "metadata.labels", "\(key)")
            #expect(T.message(error).hasPrefix("ConfigMap \"bad-\(i)\" is invalid: "), "\(key): \(T.message(error))")
            #expect(T.message(error).contains("metadata.labels: Invalid value: \"\(key)\": \(message)"), "\(key): \(T.message(error))")
        }
        try await t.close()
    }
}
