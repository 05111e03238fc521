import KubeAPI
import Testing
@testable import KubeClient

@Suite(.timeLimit(.minutes(1))) struct WatchStreamTests {
    static func event(_ type: String, _ name: String, rv: String) -> String {
        #"{"type":"\#(type)","object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)","resourceVersion":"\#(rv)"},"extra":{"x":[1,2,3]}}}"#
    }

    @Test func chunkedStreamDeliversEventsAsTheyArrive() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            return .stream(status: 200, chunks: chunks)
        }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        let stream = c.watch(Namespace.self, options: WatchOptions(labelSelector: "a=b", resourceVersion: "10",
                                                                    allowWatchBookmarks: true, timeoutSeconds: 30))
        var it = stream.makeAsyncIterator()
        let whole = Array((Self.event("ADDED", "a", rv: "11") + "\n").utf8)
        feed.yield(Array(whole[..<20]))
        feed.yield(Array(whole[20...]) + Array((Self.event("MODIFIED", "a", rv: "12") + "\n" + #"{"type":"BOOKMARK","object":{"kind":"Namespace","metadata":{"resourceVersion":"13"}}}"#).utf8))
        guard case .added(let a) = try await it.next() else { Issue.record("added"); return }
        #expect(a.metadata.name == "a" && a.metadata.resourceVersion == "11")
        guard case .modified(let m) = try await it.next() else { Issue.record("modified"); return }
        #expect(m.metadata.resourceVersion == "12")
        feed.yield([10])
        guard case .bookmark(let b) = try await it.next() else { Issue.record("bookmark"); return }
        #expect(b.resourceVersion == "13")
        feed.finish()
        #expect(try await it.next() == nil)
        let q = seen.all[0].query
        #expect(q["watch"] == "true" && q["labelSelector"] == "a=b" && q["resourceVersion"] == "10")
        #expect(q["allowWatchBookmarks"] == "true" && q["timeoutSeconds"] == "30")
        #expect(seen.all[0].path == "/api/v1/namespaces")
    }

    @Test func goneErrorEventEndsStreamWithTypedError() async throws {
        let server = try await TestServer.start { _ in
            let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
            feed.yield(Array((Self.event("ADDED", "a", rv: "1") + "\n").utf8))
            feed.yield(Array(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#.utf8) + [10])
            return .stream(status: 200, chunks: chunks)  // never finished: the client must stop on the ERROR
        }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        var events: [String] = []
        await #expect(throws: KubeError.gone(message: "too old resource version: 1 (5)")) {
            for try await e in c.watch(Namespace.resource, options: WatchOptions(resourceVersion: "1")) { events.append(e.type) }
        }
        #expect(events == ["ADDED"])
    }

    @Test func nonSuccessWatchAnswerIsTyped() async throws {
        let server = try await TestServer.start { _ in
            .json(403, #"{"kind":"Status","reason":"Forbidden","code":403,"message":"namespaces is forbidden"}"#)
        }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        await #expect(throws: KubeError.forbidden(kind: "Namespace", name: nil, message: "namespaces is forbidden")) {
            for try await _ in c.watch(Namespace.resource) {}
        }
    }

    @Test func silentConnectionEndsWithIdleTimeout() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start { _ in .stream(status: 200, chunks: chunks) }
        defer {
            feed.finish()
            Task { try await server.shutdown() }
        }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        feed.yield(Array((Self.event("ADDED", "a", rv: "1") + "\n").utf8))
        // The stream sends one event and then nothing: the client must end it on its own. (How
        // many events arrive before the limit depends on machine load, so only the end is checked.)
        var count = 0
        await #expect(throws: KubeError.idleTimeout(.seconds(1))) {
            for try await _ in c.watch(Namespace.resource, options: WatchOptions(idleTimeout: .seconds(1))) { count += 1 }
        }
        #expect(count <= 1)
    }

    @Test func cancellingTheConsumerAbortsTheWatch() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start { _ in .stream(status: 200, chunks: chunks) }
        defer {
            feed.finish()
            Task { try await server.shutdown() }
        }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        let first = AsyncStream<Void>.makeStream()
        let task = Task {
            var n = 0
            for try await _ in c.watch(Namespace.resource) {
                n += 1
                first.continuation.yield()
            }
            return n
        }
        feed.yield(Array((Self.event("ADDED", "a", rv: "1") + "\n").utf8))
        var it = first.stream.makeAsyncIterator()
        _ = await it.next()
        task.cancel()
        _ = await task.result  // returns: the transfer was aborted
        var closed = server.closed.makeAsyncIterator()
        _ = await closed.next()  // and the server saw the connection go
    }

    @Test func manyWatchesAndRequestsShareTheLoopOverHTTP1() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let server = try await TestServer.start { req in
            if req.query["watch"] == "true" {
                // Every watch gets one event, then stays open (shared stream ends at test end).
                let (mine, mineFeed) = AsyncStream<[UInt8]>.makeStream()
                mineFeed.yield(Array((Self.event("ADDED", "a", rv: "1") + "\n").utf8))
                Task { for await _ in chunks {}; mineFeed.finish() }
                return .stream(status: 200, chunks: mine)
            }
            return .json(200, #"{"metadata":{"name":"n"}}"#)
        }
        defer {
            feed.finish()
            Task { try await server.shutdown() }
        }
        let c = KubeClient(config: KubeClientConfig(server: server.url))
        let (ready, readyFeed) = AsyncStream<Void>.makeStream()
        let watches = (0..<12).map { i in
            Task {
                for try await _ in c.watch(Namespace.resource, namespace: "ns\(i)") { readyFeed.yield() }
            }
        }
        var seen = 0
        for await _ in ready {
            seen += 1
            if seen == watches.count { break }
        }
        // With all watches holding their connections, plain requests still go through.
        let name = try await c.get(Namespace.self, name: "n").metadata.name
        #expect(name == "n")
        for w in watches { w.cancel() }
        for w in watches { _ = await w.result }
    }
}
