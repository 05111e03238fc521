import Foundation
import NIOSSL
import Synchronization
import Testing
@testable import KubeClient

/// `H2Loop` as a `TaskExecutor` (H2Loop+TaskExecutor.swift): tasks that prefer it run on the
/// "kube-h2-loop" thread before and after their requests, requests made from there work alone and
/// many at once (over real TLS against the NIO test server), cancellation still ends a request,
/// and no task is lost when the loop shuts down — its queued and later jobs run elsewhere.
@Suite(.timeLimit(.minutes(1))) final class H2LoopTaskExecutorTests: Sendable {
    let pki: TestPKI
    let loop = H2Loop()

    init() throws { pki = try TestPKI.make() }
    deinit {
        loop.shutdown()
        pki.remove()
    }

    func start(_ responder: @escaping Responder) async throws -> TestServer {
        try await TestServer.start(tls: try pki.serverTLS(requireClientCert: false, alpn: ["h2", "http/1.1"]), http2: true,
                                   responder: responder)
    }

    func perform(_ server: TestServer, _ path: String, timeout: Duration = .seconds(30)) async throws(TransportFailure) -> HTTPResponse {
        let r = HTTPRequest(method: "GET", url: server.url + path, timeout: timeout, tls: TLSSettings(caFile: pki.caCert))
        return try await loop.perform(r, RequestTarget(url: r.url)!)
    }

    static let echo: Responder = { req in .json(200, #"{"path":"\#(req.path)"}"#) }

    /// The thread the caller runs on now.
    static func here() -> String { LoopThread.currentName() ?? "?" }

    @Test func aTaskPreferringTheLoopRunsOnItsThreadBeforeAndAfterEachRequest() async throws {
        let server = try await start(Self.echo)
        defer { Task { try await server.shutdown() } }
        let seen = try await withTaskExecutorPreference(loop) {
            var threads = [Self.here()]
            for i in 0..<50 {
                let response = try await perform(server, "/r\(i)")
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == #"{"path":"/r\#(i)"}"#)
                threads.append(Self.here())
            }
            return threads
        }
        #expect(seen.count == 51)
        #expect(seen.allSatisfy { $0 == "kube-h2-loop" }, "\(Set(seen))")
        #expect(Self.here() != "kube-h2-loop", "a task without the preference stays on the pool")
    }

    @Test func childTasksInheritThePreferenceAndRequestConcurrently() async throws {
        let server = try await start(Self.echo)
        defer { Task { try await server.shutdown() } }
        let results = try await withTaskExecutorPreference(loop) {
            try await withThrowingTaskGroup(of: (Int, String, String).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let response = try await self.perform(server, "/c\(i)")
                        return (i, String(decoding: response.body, as: UTF8.self), Self.here())
                    }
                }
                var all: [(Int, String, String)] = []
                for try await r in group { all.append(r) }
                return all
            }
        }
        #expect(results.count == 40)
        for (i, body, thread) in results {
            #expect(body == #"{"path":"/c\#(i)"}"#)
            #expect(thread == "kube-h2-loop")
        }
    }

    @Test func cancellingATaskOnTheLoopEndsItsRequest() async throws {
        let server = try await start { _ in
            try? await Task.sleep(for: .seconds(30))
            return .json(200, "{}")
        }
        defer { Task { try await server.shutdown() } }
        let waiting = Task {
            await withTaskExecutorPreference(loop) { () async -> (Result<Int, TransportFailure>, String) in
                do throws(TransportFailure) {
                    return (.success(try await perform(server, "/slow").status), Self.here())
                } catch {
                    return (.failure(error), Self.here())
                }
            }
        }
        // The request is open once the server has it.
        while server.accepted == 0 { await Task.yield() }
        while await loop.openStreamCount() == 0 { await Task.yield() }
        waiting.cancel()
        let (result, thread) = await waiting.value
        #expect(thread == "kube-h2-loop")
        guard case .failure(.cancelled) = result else {
            Issue.record("expected the request to end as cancelled, got \(result)")
            return
        }
    }

    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    /// Tasks that never stop handing the loop a job (each `Task.yield` queues the next one) must
    /// not keep it from its sockets: a turn runs at most `H2Loop.maxDrains` batches of jobs, then
    /// reads and sends. Without the cap the drain would never end and the request never complete.
    @Test func jobsThatNeverEndCannotStarveTheLoopsIO() async throws {
        let server = try await start(Self.echo)
        defer { Task { try await server.shutdown() } }
        let stop = Flag()
        let spinners = (0..<4).map { _ in
            Task(executorPreference: loop) {
                var turns = 0
                while !stop.raised.load(ordering: .relaxed) {
                    await Task.yield()
                    turns += 1
                }
                return turns
            }
        }
        let responses = try await withTaskExecutorPreference(loop) {
            var statuses: [Int] = []
            for i in 0..<5 { statuses.append(try await perform(server, "/through\(i)").status) }
            return statuses
        }
        stop.raised.store(true, ordering: .relaxed)
        var spun = 0
        for s in spinners { spun += await s.value }
        #expect(responses == [200, 200, 200, 200, 200])
        #expect(spun > 0)
    }

    @Test func noTaskIsLostWhenTheLoopShutsDown() async throws {
        let stopping = H2Loop()
        let tasks = 200
        let done = await withTaskGroup(of: Int.self) { group in
            for i in 0..<tasks {
                group.addTask(executorPreference: stopping) {
                    // Each task hops several times: some of its jobs are queued when the loop
                    // stops, some are enqueued after it has stopped.
                    for _ in 0..<20 { await Task.yield() }
                    if i == tasks / 2 { stopping.shutdown() }
                    for _ in 0..<20 { await Task.yield() }
                    return 1
                }
            }
            var count = 0
            for await one in group { count += one }
            return count
        }
        #expect(done == tasks)
        let after = await withTaskExecutorPreference(stopping) { Self.here() }
        #expect(after != "kube-h2-loop", "after shutdown, jobs run on the global executor")
    }
}
