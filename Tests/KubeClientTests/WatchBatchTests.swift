import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

/// `KubeClient.watchBatches`: the lines of one read arrive as one batch, over KubeClient's own
/// HTTP/2 client (real TLS, a NIO h2 server) and over libcurl (plain HTTP); order, the stream's
/// end and its errors as `watch` — the events before a failing record first, then the error.
@Suite(.timeLimit(.minutes(1))) final class WatchBatchTests: Sendable {
    let pki: TestPKI
    let loop = H2Loop()

    init() throws { pki = try TestPKI.make() }
    deinit {
        loop.shutdown()
        pki.remove()
    }

    static func line(_ type: String, _ name: String, rv: String) -> String {
        #"{"type":"\#(type)","object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)","resourceVersion":"\#(rv)"}}}"# + "\n"
    }

    static let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old","reason":"Expired","code":410}}"# + "\n"

    /// A client of a server that answers the watch with `chunks` (over h2 with TLS, or plain HTTP/1.1 through libcurl).
    func serve(h2: Bool, _ chunks: AsyncStream<[UInt8]>) async throws -> (TestServer, KubeClient) {
        let responder: Responder = { req in req.query["watch"] == "true" ? .stream(status: 200, chunks: chunks) : .json(200, "{}") }
        if h2 {
            let tls = try pki.serverTLS(requireClientCert: false, alpn: ["h2", "http/1.1"])
            let server = try await TestServer.start(tls: tls, http2: true, responder: responder)
            let config = KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert), connectTimeout: .seconds(5))
            return (server, KubeClient(config: config, retryPolicy: .none, http2: loop))
        }
        let server = try await TestServer.start(responder: responder)
        return (server, KubeClient(config: KubeClientConfig(server: server.url), retryPolicy: .none))
    }

    static func names(_ batch: [WatchEvent<Namespace>]) -> [String] {
        batch.map { e in
            switch e {
            case .added(let n), .modified(let n), .deleted(let n): "\(e.type) \(n.metadata.name ?? "")"
            case .bookmark(let m): "BOOKMARK \(m.resourceVersion ?? "")"
            case .error: "ERROR"
            }
        }
    }

    @Test(arguments: [true, false]) func theLinesOfOneReadAreOneBatchInOrder(h2: Bool) async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: h2, chunks)
        defer { Task { try await server.shutdown() } }
        var it = c.watchBatches(Namespace.self, options: WatchOptions(resourceVersion: "1")).makeAsyncIterator()
        let burst = Self.line("ADDED", "a", rv: "2") + Self.line("MODIFIED", "a", rv: "3") + "\n"
            + Self.line("DELETED", "a", rv: "4")
            + #"{"type":"BOOKMARK","object":{"kind":"Namespace","metadata":{"resourceVersion":"5"}}}"# + "\r\n"
        feed.yield(Array(burst.utf8))
        // h2: the burst is one DATA frame, handled only once complete, so a read split by the
        // socket cannot split it: one batch. libcurl hands a chunk over as it reads it, so a split
        // read may make two batches (the events still in one piece each, in order) — never one
        // batch per event, as the event-by-event stream would.
        var burstBatches: [[String]] = []
        while burstBatches.joined().count < 4, let batch = try await it.next() {
            burstBatches.append(Self.names(batch))
        }
        #expect(Array(burstBatches.joined()) == ["ADDED a", "MODIFIED a", "DELETED a", "BOOKMARK 5"])
        #expect(burstBatches.count <= (h2 ? 1 : 2), "\(burstBatches)")
        // A record split over two writes: one batch once its line is complete.
        let whole = Array(Self.line("ADDED", "b", rv: "6").utf8)
        feed.yield(Array(whole[..<25]))
        feed.yield(Array(whole[25...]) + Array(Self.line("ADDED", "c", rv: "7").utf8))
        var rest: [String] = []
        while rest.count < 2, let batch = try await it.next() {
            #expect(!batch.isEmpty)
            rest += Self.names(batch)
        }
        #expect(rest == ["ADDED b", "ADDED c"])
        // An unterminated last record still arrives when the server ends the stream.
        feed.yield(Array(Self.line("ADDED", "d", rv: "8").dropLast().utf8))
        feed.finish()
        #expect(Self.names(try await it.next() ?? []) == ["ADDED d"])
        #expect(try await it.next() == nil)
    }

    @Test(arguments: [true, false]) func anErrorInTheMiddleOfABatchComesAfterTheEventsBeforeIt(h2: Bool) async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: h2, chunks)
        defer { Task { try await server.shutdown() } }
        var it = c.watchBatches(Namespace.self).makeAsyncIterator()
        // Never finished by the server: the client stops at the ERROR record; "c" is never delivered.
        feed.yield(Array((Self.line("ADDED", "a", rv: "2") + Self.line("ADDED", "b", rv: "3") + Self.gone
            + Self.line("ADDED", "c", rv: "4")).utf8))
        // h2: one DATA frame, one batch; libcurl may hand a split read over in two.
        var before: [[String]] = []
        while before.joined().count < 2, let batch = try await it.next() { before.append(Self.names(batch)) }
        #expect(Array(before.joined()) == ["ADDED a", "ADDED b"])
        #expect(before.count <= (h2 ? 1 : 2), "\(before)")
        await #expect(throws: KubeError.gone(message: "too old")) { _ = try await it.next() }
        #expect(try await it.next() == nil)
    }

    @Test(arguments: [true, false]) func aRecordThatDoesNotDecodeEndsTheStreamAfterTheEventsBeforeIt(h2: Bool) async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: h2, chunks)
        defer { Task { try await server.shutdown() } }
        var it = c.watchBatches(Namespace.self).makeAsyncIterator()
        feed.yield(Array((Self.line("ADDED", "a", rv: "2") + #"{"type":"ADDED","object":[1]}"# + "\n"
            + Self.line("ADDED", "c", rv: "4")).utf8))
        #expect(Self.names(try await it.next() ?? []) == ["ADDED a"])
        do {
            _ = try await it.next()
            Issue.record("expected a decoding error")
        } catch let KubeError.decoding(message) {
            #expect(message.hasPrefix("watch event"))
        }
        #expect(try await it.next() == nil)
        feed.finish()
    }

    @Test(arguments: [true, false]) func aLeadingErrorRecordEndsTheStreamWithoutAnEmptyBatch(h2: Bool) async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: h2, chunks)
        defer { Task { try await server.shutdown() } }
        var batches: [[String]] = []
        feed.yield(Array(Self.line("ADDED", "a", rv: "2").utf8))
        await #expect(throws: KubeError.gone(message: "too old")) {
            for try await batch in c.watchBatches(Namespace.self) {
                batches.append(Self.names(batch))
                if batches.count == 1 { feed.yield(Array(Self.gone.utf8)) }
            }
        }
        #expect(batches == [["ADDED a"]])
    }

    /// The events of a stream, batch by batch, until it ends or throws (the error, if any).
    static func drain(_ stream: AsyncThrowingStream<[WatchEvent<Namespace>], any Error>) async -> (names: [String], error: (any Error)?) {
        var names: [String] = []
        do {
            for try await batch in stream {
                #expect(!batch.isEmpty)
                names += Self.names(batch)
            }
            return (names, nil)
        } catch {
            return (names, error)
        }
    }

    @Test(arguments: [true, false]) func aRecordOverTheSizeLimitEndsTheStreamAfterTheEventsBeforeIt(h2: Bool) async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: h2, chunks)
        defer { Task { try await server.shutdown() } }
        // "a" and "b" fit the 1,000-byte limit; the unterminated record after them, in the same
        // server write, goes over it.
        let stream = c.watchEventBatches(Namespace.self, Namespace.resource, namespace: nil, options: WatchOptions(),
                                         framer: LineFramer(maxRecordBytes: 1000))
        feed.yield(Array((Self.line("ADDED", "a", rv: "2") + Self.line("ADDED", "b", rv: "3")).utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: 2000))
        let (names, error) = await Self.drain(stream)
        #expect(names == ["ADDED a", "ADDED b"])
        #expect(error as? KubeError == KubeError.decoding("watch record too large"))
        feed.finish()
    }

    /// `startWatch` ends once: after a record over the limit, neither the bytes that follow (which
    /// would complete that record and frame another) nor the server's normal end reach `deliver`
    /// or `finish` again.
    @Test func finishIsCalledOnceAndNothingIsDeliveredAfterIt() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: true, chunks)
        defer { Task { try await server.shutdown() } }
        let calls = Mutex<[String]>([])
        let (finished, finishedFeed) = AsyncStream<Void>.makeStream()
        let handle = c.startWatch(Namespace.resource, namespace: nil, options: WatchOptions(),
                                  framer: LineFramer(maxRecordBytes: 1000),
                                  deliver: { batch in calls.withLock { $0.append("deliver \(batch.count)") } },
                                  finish: { error in
                                      let what = error.map { ($0 as? KubeError) == .decoding("watch record too large")
                                          ? "too large" : "\($0)" } ?? "nil"
                                      calls.withLock { $0.append("finish \(what)") }
                                      finishedFeed.yield()
                                  })
        feed.yield(Array((Self.line("ADDED", "a", rv: "2") + Self.line("ADDED", "b", rv: "3")).utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: 2000))
        var it = finished.makeAsyncIterator()
        await it.next()
        // Not cancelled (as the stream's consumer would): the server goes on, then ends normally.
        feed.yield(Array(("\n" + Self.line("ADDED", "c", rv: "4")).utf8))
        feed.finish()
        while await loop.openStreamCount() > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(calls.withLock { $0 } == ["deliver 2", "finish too large"])
        handle?.cancel()
    }

    @Test func eventsAndAStreamResetInOneReadArriveBeforeTheResetsError() async throws {
        let tls = try pki.serverTLS(requireClientCert: false, alpn: ["h2"])
        let body = Array((Self.line("ADDED", "a", rv: "2") + Self.line("ADDED", "b", rv: "3")).utf8)
        let server = try await TestServer.start(tls: tls, http2: true) { _ in
            .dataThenReset(status: 200, body: body, code: .internalError)
        }
        defer { Task { try await server.shutdown() } }
        let config = KubeClientConfig(server: server.url, tls: TLSSettings(caFile: pki.caCert), connectTimeout: .seconds(5))
        let c = KubeClient(config: config, retryPolicy: .none, http2: loop)
        let (names, error) = await Self.drain(c.watchBatches(Namespace.self))
        #expect(names == ["ADDED a", "ADDED b"])
        // The watch is the connection's first stream (id 1).
        #expect(error as? KubeError == KubeError(H2Failures.streamReset(1, .internalError)))
    }

    @Test func cancellingTheConsumerResetsTheStream() async throws {
        let (chunks, feed) = AsyncStream<[UInt8]>.makeStream()
        let (server, c) = try await serve(h2: true, chunks)
        defer { Task { try await server.shutdown() } }
        let seen = Mutex(0)
        let (first, firstSeen) = AsyncStream<Void>.makeStream()
        let watch = Task {
            for try await batch in c.watchBatches(Namespace.self) {
                seen.withLock { $0 += batch.count }
                firstSeen.yield()
            }
        }
        feed.yield(Array((Self.line("ADDED", "a", rv: "2") + Self.line("ADDED", "b", rv: "3")).utf8))
        var it = first.makeAsyncIterator()
        // One batch (one DATA frame), or more if the events were handed over in pieces.
        while seen.withLock({ $0 }) < 2 { await it.next() }
        #expect(seen.withLock { $0 } == 2)
        #expect(await loop.openStreamCount() == 1)
        watch.cancel()
        try await watch.value  // a cancelled watch ends without an error
        #expect(await loop.openStreamCount() == 0, "the stream was reset and left the connection")
        feed.finish()
    }
}
