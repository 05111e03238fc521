import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// HTTP/2 on the server's TLS port (ALPN `h2`, as kube-apiserver): our libcurl client, the
/// official kubectl and the curl CLI against it; HTTP/1.1 clients on the same port.
@Suite(.timeLimit(.minutes(2))) struct HTTP2Tests {
    /// A client of `server` over HTTPS (its self-signed CA), as the admin.
    static func client(_ server: KubeTestServer) throws -> KubeClient {
        let url = try #require(server.httpsURL)
        let ca = try #require(server.caPEM)
        return KubeClient(config: KubeClientConfig(server: url, tls: TLSSettings(caData: Array(ca.utf8)),
                                                   credentials: .token(KubeTestServer.adminToken)), retryPolicy: .none)
    }

    static func configMap(_ name: String, data: [String: JSONValue] = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": .object(data)]
    }

    /// Polls `condition` until it holds (at most 30 s).
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<300 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func concurrentRequestsMultiplexOnOneConnection() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let c = try Self.client(server)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<50 {
                group.addTask { _ = try await c.create(ConformanceTarget.configMaps, namespace: "default", Self.configMap("m\(i)")) }
            }
            try await group.waitForAll()
        }
        let listed = try await c.list(ConformanceTarget.configMaps, namespace: "default")
        #expect((listed["items"]?.arrayValue ?? []).filter { ($0[path: ["metadata", "name"]]?.stringValue ?? "").hasPrefix("m") }.count == 50)
        #expect(server.acceptedConnections == 1, "one connection for 51 requests, 50 of them at once")
        // libcurl (GitHub, the playground, a forced `.curl` transport) negotiates h2 as well.
        let ca = Array(try #require(server.caPEM).utf8)
        let raw = try await CurlLoop.shared.perform(HTTPRequest(method: "GET", url: try #require(server.httpsURL) + "/version",
                                                                tls: TLSSettings(caData: ca)))
        #expect(raw.status == 200 && raw.httpVersion == "2")
        #expect(server.requests.all.allSatisfy { $0.httpVersion == "2" })
    }

    @Test func watchStreamsOverH2AndACancelledWatchIsUnregistered() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let c = try Self.client(server)
        let watchers = server.store.watcherCount
        let from = try await c.list(ConformanceTarget.configMaps, namespace: "default")[path: ["metadata", "resourceVersion"]]?.stringValue
        let (events, feed) = AsyncStream<WatchEvent<JSONValue>>.makeStream()
        let watch = Task {
            for try await e in c.watch(ConformanceTarget.configMaps, namespace: "default",
                                       options: WatchOptions(resourceVersion: from, allowWatchBookmarks: false,
                                                             timeoutSeconds: 300)) { feed.yield(e) }
        }
        try await Self.waitUntil("the watch to be registered") { server.store.watcherCount == watchers + 1 }
        var it = events.makeAsyncIterator()
        for name in ["a", "b"] {
            _ = try await c.create(ConformanceTarget.configMaps, namespace: "default", Self.configMap(name))
            guard case .added(let o)? = await it.next() else { Issue.record("expected ADDED \(name)"); return }
            #expect(o[path: ["metadata", "name"]]?.stringValue == name)
        }
        #expect(server.acceptedConnections == 1, "the list, the watch and the creates share one connection")
        // Cancelling resets the stream (RST_STREAM). libcurl 7.88 holds frames under 1 KiB until it
        // next writes to the connection (http2.c `send_callback`), so the reset leaves with the next
        // request on it: requests until then. With the watch gone the connection is idle, and
        // CurlLoop.shared's connection cache (shared with every other test of the process, libcurl's
        // default size) may close it first — seen in the full suite: the next request opened a
        // second connection. The server unregisters the watch then too (the stream's channel closes
        // with its connection), so the connection count is not asserted after the cancel.
        watch.cancel()
        var dropped = false
        for _ in 0..<300 where !dropped {
            _ = try await c.get(ConformanceTarget.configMaps, namespace: "default", name: "a")
            dropped = server.store.watcherCount == watchers
            if !dropped { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(dropped, "the server dropped the cancelled watch")
        #expect(server.requests.all.allSatisfy { $0.httpVersion == "2" })
    }

    @Test func bodiesLargerThanTheFlowControlWindowsGoBothWays() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let c = try Self.client(server)
        // 600 KiB: more than HTTP/2's initial 64 KiB window and the server's 256 KiB stream window.
        let big = String((0..<(600 * 1024)).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        _ = try await c.create(ConformanceTarget.configMaps, namespace: "default", Self.configMap("big", data: ["v": .string(big)]))
        let back = try await c.get(ConformanceTarget.configMaps, namespace: "default", name: "big")
        #expect(back[path: ["data", "v"]]?.stringValue == big)
        #expect(server.requests.all.map(\.httpVersion) == ["2", "2"])
    }

    @Test func watchesBeyondTheStreamLimitDoNotStarveRequests() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let url = try #require(server.httpsURL)
        let tls = TLSSettings(caData: Array(try #require(server.caPEM).utf8))
        let auth = ["Authorization: Bearer \(KubeTestServer.adminToken)"]
        // The server allows 100 concurrent streams per connection (kube-apiserver's default).
        let watches = (0..<100).map { _ in
            CurlLoop.shared.stream(HTTPRequest(method: "GET", url: url + "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=300",
                                               headers: auth, timeout: nil, tls: tls),
                                   onData: { _ in }, onComplete: { _ in })
        }
        defer { for w in watches { w.cancel() } }
        let base = server.store.watcherCount
        try await Self.waitUntil("100 watches") { server.store.watcherCount >= base + 100 }
        let response = try await CurlLoop.shared.perform(HTTPRequest(method: "GET", url: url + "/api/v1/namespaces/default/configmaps",
                                                                     headers: auth, tls: tls))
        #expect(response.status == 200 && response.httpVersion == "2")
        #expect(server.acceptedConnections == 2, "100 watches fill one connection; the request opens a second")
    }

    @Test(.enabled(if: Kubectl.path != nil, "kubectl not found"))
    func kubectlSpeaksH2() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("h2-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let kubectl = try Kubectl(server: server, directory: dir)
        let created = try await kubectl.run(["create", "configmap", "via-kubectl", "--from-literal=k=v"])
        #expect(created.status == 0, "\(created.err)")
        let got = try await kubectl.run(["get", "configmap", "via-kubectl", "-o", "jsonpath={.data.k}"])
        #expect(got.status == 0 && got.out == "v", "\(got.err)")
        let fromKubectl = server.requests.all.filter { ($0.userAgent ?? "").hasPrefix("kubectl") }
        #expect(!fromKubectl.isEmpty && fromKubectl.allSatisfy { $0.httpVersion == "2" })
    }

    static let curlPath: String? = ["/usr/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: curlPath != nil, "curl CLI not found"), arguments: [("--http1.1", "1.1"), ("--http2", "2")])
    func curlCLIChoosesTheProtocol(flag: String, version: String) async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try await server.stop() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("h2-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = dir.appendingPathComponent("ca.pem")
        try #require(server.caPEM).write(to: ca, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.curlPath))
        process.arguments = ["-sS", flag, "--cacert", ca.path, "-H", "Authorization: Bearer \(KubeTestServer.adminToken)",
                             "-o", out.path, "-w", "%{http_code} %{http_version}",
                             try #require(server.httpsURL) + "/api/v1/namespaces/default"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let written = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(written == "200 \(version)")
        let body = try JSONValue(parsing: Array(try Data(contentsOf: out)))
        #expect(body[path: ["metadata", "name"]]?.stringValue == "default")
        #expect(server.requests.all.map(\.httpVersion) == [version])
    }
}
