import KubeAPI
import Testing
@testable import KubeClient

/// Watches read through a small curl receive buffer (`EasyHandle.streamBufferSize`); records far
/// larger than it must still arrive whole, over real HTTP.
@Suite(.timeLimit(.minutes(1))) struct StreamBufferTests {
    @Test func multiMegabyteRecordArrivesWholeThroughTheSmallStreamBuffer() async throws {
        #expect(EasyHandle.streamBufferSize < 16384)
        let blob = String(repeating: "x", count: 3 << 20)
        let big = #"{"type":"MODIFIED","object":{"metadata":{"name":"big","resourceVersion":"2"},"blob":"\#(blob)"}}"# + "\n"
        let small = #"{"type":"ADDED","object":{"metadata":{"name":"small","resourceVersion":"3"}}}"# + "\n"
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start { _ in .stream(status: 200, chunks: chunks) }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        var it = c.watch(Namespace.resource).makeAsyncIterator()
        feed.yield(Array((big + small).utf8))
        guard case .modified(let o) = try await it.next() else { Issue.record("modified"); return }
        #expect(o["blob"]?.stringValue?.count == 3 << 20)
        #expect(o["metadata"]?["name"]?.stringValue == "big")
        guard case .added(let s) = try await it.next() else { Issue.record("added"); return }
        #expect(s["metadata"]?["name"]?.stringValue == "small")
        feed.finish()
        #expect(try await it.next() == nil)
    }
}
