import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Prometheus
import Testing
@testable import KubeRuntime

/// API requests by verb and code (§9), counted from real HTTP exchanges with KubeTestServer and
/// read back from the Prometheus text that `/metrics` serves.
@Suite(.timeLimit(.minutes(1))) struct APIRequestMetricsTests {
    @Test func requestsAreCountedByVerbResourceAndCode() async throws {
        let api = try await TestAPI.start()
        defer { Task { await api.stop() } }
        let registry = PrometheusCollectorRegistry()
        let metrics = APIRequestMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let client = KubeClient(config: KubeClientConfig(server: api.server.url, credentials: .token(KubeTestServer.adminToken)),
                                retryPolicy: .none,
                                observer: metrics.observer, logger: quietLogger)
        _ = try await client.create(ConfigMap("a"))
        _ = try await client.create(ConfigMap("b"))
        await #expect(throws: KubeError.self) { _ = try await client.create(ConfigMap("a")) }
        await #expect(throws: KubeError.self) { _ = try await client.get(ConfigMap.self, namespace: "default", name: "nope") }
        _ = try await client.list(ConfigMap.self, namespace: "default")

        // No response at all: a port that is bound (so nobody else takes it) but not listening.
        let closed = try ClosedPort()
        let dead = KubeClient(config: KubeClientConfig(server: "http://127.0.0.1:\(closed.port)"), retryPolicy: .none,
                              observer: metrics.observer, logger: quietLogger)
        await #expect(throws: KubeError.self) { _ = try await dead.get(ConfigMap.self, namespace: "default", name: "a") }

        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            #"rest_client_requests_total{verb="create",resource="configmaps",code="201"} 2"#,
            #"rest_client_requests_total{verb="create",resource="configmaps",code="409"} 1"#,
            #"rest_client_requests_total{verb="get",resource="configmaps",code="404"} 1"#,
            #"rest_client_requests_total{verb="list",resource="configmaps",code="200"} 1"#,
            #"rest_client_requests_total{verb="get",resource="configmaps",code="<error>"} 1"#,
            #"rest_client_request_duration_seconds_count{verb="create",resource="configmaps"} 3"#,
        ] {
            #expect(lines.contains(expected), "missing \(expected) in:\n\(text)")
        }
        #expect(!text.contains(#"rest_client_request_duration_seconds_count{verb="get",resource="configmaps"} 2"#),
                "an attempt without a response has no latency")
    }
}

/// A TCP port on 127.0.0.1 held by a socket that never listens: connecting is refused.
private final class ClosedPort {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, ok else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
