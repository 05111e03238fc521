import FoundationEssentials
import KubeAPI
import Testing
@testable import KubeClient

/// The header lines a client sends are the ones it interpolated per request before they were
/// built once per client (`FixedHeaderLines`): same lines, same order, for every credential kind,
/// user agent, accept and content type; and they reach the server (a token file's rotation too).
@Suite(.timeLimit(.minutes(1))) struct RequestHeaderLinesTests {
    /// `KubeClient.headers(contentType:accept:)` as it was before (b2ebc51).
    static func reference(_ config: KubeClientConfig, contentType: String?, accept: String = "application/json") throws -> [String] {
        var h = ["Accept: \(accept)", "User-Agent: \(config.userAgent)"]
        if let contentType { h.append("Content-Type: \(contentType)") }
        switch config.credentials {
        case .none: break
        case .token(let t): h.append("Authorization: Bearer \(t)")
        case .tokenFile(let f): h.append("Authorization: Bearer \(try f.current())")
        }
        return h
    }

    @Test func linesEqualThePerRequestInterpolation() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rhl-\(UInt64.random(in: 0...UInt64.max))").path
        try Data("file-token\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials: [Credentials] = [.none, .token("t"), .token(""), .token("eyJ.é.\u{301}"), .tokenFile(TokenFile(path: path))]
        for credential in credentials {
            for agent in ["codex-k8s", "", "codex-k8s/1.2 (linux)", "ü"] {
                let config = KubeClientConfig(server: "http://127.0.0.1:1", credentials: credential, userAgent: agent)
                let client = KubeClient(config: config, retryPolicy: .none)
                for contentType in [nil, "application/json", "application/merge-patch+json", "application/apply-patch+yaml", ""] {
                    for accept in ["application/json", "application/yaml", ""] {
                        #expect(try client.headers(contentType: contentType, accept: accept)
                                == Self.reference(config, contentType: contentType, accept: accept))
                    }
                    #expect(try client.headers(contentType: contentType) == Self.reference(config, contentType: contentType))
                }
            }
        }
    }

    /// Every way a value is printed — interpolation, `String(reflecting:)`, `dump`, its `Mirror`
    /// — shows the authorization line redacted, never the token (SPEC §7), while the client
    /// still sends the token itself.
    @Test func fixedLinesNeverPrintTheToken() throws {
        let token = "s3cr3t-t0ken"
        let config = KubeClientConfig(server: "http://127.0.0.1:1", credentials: .token(token), userAgent: "agent/1")
        let lines = KubeClient(config: config, retryPolicy: .none).fixedHeaders
        #expect(lines.authorization == "Authorization: Bearer \(token)", "the line sent is unchanged")
        var dumped = ""
        dump(lines, to: &dumped)
        let mirror = Mirror(reflecting: lines)
        let children = mirror.children.map { "\($0.label ?? "") \(String(reflecting: $0.value))" }
        #expect(children.count == 2 && mirror.displayStyle == .struct, "\(children)")
        for printed in ["\(lines)", String(describing: lines), String(reflecting: lines), dumped] + children {
            #expect(!printed.contains(token), "\(printed)")
        }
        #expect(children.contains(#"authorization Optional("Authorization: Bearer <redacted>")"#), "\(children)")
        #expect("\(lines)" == #"FixedHeaderLines(userAgent: "User-Agent: agent/1", authorization: "Authorization: Bearer <redacted>")"#)
        #expect(dumped.contains("Authorization: Bearer <redacted>") && dumped.contains("User-Agent: agent/1"), "\(dumped)")
        let none = KubeClient(config: KubeClientConfig(server: "http://127.0.0.1:1"), retryPolicy: .none).fixedHeaders
        #expect("\(none)" == #"FixedHeaderLines(userAgent: "User-Agent: codex-k8s", authorization: nil)"#)
    }

    @Test func theServerSeesTheLinesAndARotatedToken() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            return req.method == "POST" ? .full(status: 201, headers: [], body: req.body)
                : .json(200, #"{"metadata":{"name":"s1","namespace":"ns1"}}"#)
        }
        defer { Task { try await server.shutdown() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rhl-\(UInt64.random(in: 0...UInt64.max))").path
        try Data("first\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = TokenFile(path: path, refreshInterval: .zero)
        let fixed = KubeClient(config: KubeClientConfig(server: server.url, credentials: .token("fixed-token"), namespace: "ns1",
                                                        userAgent: "agent/1"), retryPolicy: .none)
        let rotating = KubeClient(config: KubeClientConfig(server: server.url, credentials: .tokenFile(file), namespace: "ns1"),
                                  retryPolicy: .none)
        _ = try await fixed.get(Secret.self, name: "s1")
        try await fixed.createDiscardingResult(Namespace(metadata: ObjectMeta(name: "n")))
        _ = try await rotating.get(Secret.self, name: "s1")
        try Data("second\n".utf8).write(to: URL(fileURLWithPath: path))
        _ = try await rotating.get(Secret.self, name: "s1")
        let requests = seen.all
        #expect(requests.count == 4)
        let expected: [(String, String, String?, String)] = [
            ("application/json", "agent/1", nil, "Bearer fixed-token"),
            ("application/json", "agent/1", "application/json", "Bearer fixed-token"),
            ("application/json", "codex-k8s", nil, "Bearer first"),
            ("application/json", "codex-k8s", nil, "Bearer second"),
        ]
        for (r, e) in zip(requests, expected) {
            #expect(r.header("accept") == e.0 && r.header("user-agent") == e.1 && r.header("content-type") == e.2
                    && r.header("authorization") == e.3, "\(r.method) \(r.uri): \(r.headers)")
        }
    }
}
