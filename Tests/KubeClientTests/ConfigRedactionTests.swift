import FoundationEssentials
import Testing
@testable import KubeClient

/// A client's configuration never prints a secret however it is printed (SPEC §7): a fixed token,
/// a token file's token once read, a client key's data — not in `"\(config)"`,
/// `String(reflecting:)`, `dump` of the config, its credentials, its TLS settings or the client.
@Suite struct ConfigRedactionTests {
    static func printed(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(reflecting: value), dumped]
    }

    @Test func noTokenOrKeyInAnyPrintedForm() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cr-\(UInt64.random(in: 0...UInt64.max))").path
        try Data("f1le-t0ken\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = TokenFile(path: path)
        #expect(try file.current() == "f1le-t0ken", "the file's token is read and held")
        let key = Array("-----BEGIN PRIVATE KEY-----k3y-data".utf8)
        let tls = TLSSettings(caData: Array("ca".utf8), clientCertificateData: Array("cert".utf8), clientKeyData: key)
        for (credentials, secret) in [(Credentials.token("s3cr3t-t0ken"), "s3cr3t-t0ken"), (.tokenFile(file), "f1le-t0ken")] {
            let config = KubeClientConfig(server: "http://127.0.0.1:1", tls: tls, credentials: credentials)
            let client = KubeClient(config: config, retryPolicy: .none)
            for text in Self.printed(config) + Self.printed(credentials) + Self.printed(tls) + Self.printed(client) {
                #expect(!text.contains(secret) && !text.contains("k3y-data"), "\(text)")
            }
            var dumped = ""
            dump(config, to: &dumped)
            #expect(dumped.contains("<redacted>") || dumped.contains(path), "\(dumped)")
        }
        var dumped = ""
        dump(tls, to: &dumped)
        // 107 is the key's `k`, in no other field: the key's bytes are not listed.
        #expect(dumped.contains("clientKeyData: Optional(\"<redacted>\")") && !dumped.contains("- 107"), "\(dumped)")
    }
}
