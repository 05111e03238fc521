@testable import KubeClient
import Testing
import TestSupport

/// `ServerTarget.target(for:)` (the server's part of a URL parsed once per client) gives exactly
/// `RequestTarget(url:)` for every URL: the client's own (`server + path`) and any other.
@Suite struct ServerTargetTests {
    static func parts(_ t: RequestTarget?) -> [String]? { t.map { [$0.host, String($0.port), $0.authority, $0.path] } }

    static let servers = ["https://127.0.0.1:6443", "https://kubernetes.default.svc", "https://[::1]:8443", "https://h/prefix",
                          "https://h/", "https://h?x", "HTTPS://Host:443", "https://h:0", "https://u@h", "http://h:80", "https://",
                          "https://h:+8", "https://hé", "https://h\r\n", "https://h:65536", "https://[::1", "https://h/é"]
    static let paths = ["/api/v1/namespaces", "/apis/batch/v1/namespaces/ns/jobs?fieldManager=x", "/", "", "?watch=true",
                        "/\u{301}x", "/é", "x/y", "/?q", "/a?b=c@d", "//", "/\r\n", ":443/x", "\u{301}/x"]

    @Test func everyServerAndPathParsesAsTheWholeURL() {
        for server in Self.servers {
            let targets = ServerTarget(server: server)
            for path in Self.paths {
                let url = server + path
                #expect(Self.parts(targets.target(for: url)) == Self.parts(RequestTarget(url: url)), "\(url.debugDescription)")
            }
            // A URL of another server, or none.
            for other in ["https://other:1/x", "", server.uppercased() + "/x", String(server.dropLast()) + "/x"] {
                #expect(Self.parts(targets.target(for: other)) == Self.parts(RequestTarget(url: other)), "\(other.debugDescription)")
            }
        }
    }

    /// The transport takes the server's target from `ServerTarget` (`base`) to choose h2: the
    /// same choice as parsing `server + "/"` whole, for every server above and a non-ASCII one.
    @Test func theTransportChoosesAsTheWholeServerParse() {
        for server in Self.servers + ["https://hé.invalid:1", "https://h/é"] {
            let config = KubeClientConfig(server: server)
            let h2 = RequestTarget(url: config.server + "/").map { !ProxyEnvironment.appliesToHTTPS(host: $0.host) } ?? false
            #expect(KubeClient(config: config, retryPolicy: .none).loop.name == (h2 ? "h2" : "curl"), "\(server.debugDescription)")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomPathsParseAsTheWholeURL(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let pieces = ["/", "?", "a", "=", "&", "@", ":", "[", "]", "\u{301}", "é", "\r\n", "%2F", "0", "api", "/v1"]
        for _ in 0..<2000 {
            let server = Self.servers[Int(rng.next() % UInt64(Self.servers.count))]
            var path = rng.next() % 4 == 0 ? "" : "/"
            for _ in 0..<Int(rng.next() % 7) { path += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let url = server + path
            #expect(Self.parts(ServerTarget(server: server).target(for: url)) == Self.parts(RequestTarget(url: url)),
                    "\(url.debugDescription)")
        }
    }
}
