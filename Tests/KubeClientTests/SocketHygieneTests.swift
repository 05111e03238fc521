import KubeAPI
import Testing
@testable import KubeClient

/// curl opens its sockets without close-on-exec; the client marks them, so a process the program
/// spawns cannot hold a copy that keeps a connection alive after the client or server closed it.
@Suite(.timeLimit(.minutes(1))) struct SocketHygieneTests {
    @Test func clientSocketsAreCloseOnExec() async throws {
        let server = try await TestServer.start { _ in .json(200, #"{"metadata":{"name":"ok"}}"#) }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url), retryPolicy: .none)
        _ = try await c.get(Namespace.self, name: "ok")
        // The keep-alive connection stays in curl's cache after the answer.
        let sockets = try ProcSockets.connected(toPort: server.port)
        #expect(!sockets.isEmpty, "the client's connection is visible in /proc")
        for s in sockets { #expect(s.closeOnExec, "fd \(s.fd) to the server is inheritable") }
    }
}
