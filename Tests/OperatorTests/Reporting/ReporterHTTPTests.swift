import FakeGitHub
import Foundation
import GitHub
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Operator
import Runs
import Synchronization
import TestSupport
import Testing

/// The reporter over real HTTP (issue 13): `GitHubRESTClient` against `FakeGitHubServer`, the
/// AgentRuns in KubeTestServer. Time (the client's epoch clock and the reporter's gate) moves
/// only when a test moves it.
@Suite(.serialized) struct ReporterHTTPTests {
    /// A fake GitHub, a token file, a client sharing the test's clock, and every log line.
    struct GitHubSide {
        let server: FakeGitHubServer
        let tokenFile: String
        let clock = SteppedClock()
        let logs = LogRecorder()
        let rest: GitHubRESTClient
        /// `rest`, with every call's outcome recorded (tests wait on it instead of sleeping).
        let client: ObservedGitHub

        static func start() async throws -> GitHubSide {
            let server = try await FakeGitHubServer.start(pathPrefix: "/api/v3")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-token-\(UUID().uuidString)").path
            try Data("\(FakeGitHubServer.defaultToken)\n".utf8).write(to: URL(fileURLWithPath: file))
            return GitHubSide(server: server, tokenFile: file)
        }

        private init(server: FakeGitHubServer, tokenFile: String) {
            self.server = server
            self.tokenFile = tokenFile
            let clock = self.clock
            rest = GitHubRESTClient(options: GitHubClientOptions(apiURL: server.url, tokenFile: tokenFile),
                                    logger: logs.logger, now: { clock.wallNow().timeIntervalSince1970 })
            client = ObservedGitHub(rest)
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(atPath: tokenFile)
        }

        func marked(_ run: String, _ number: Int) -> [FakeGitHubComment] {
            server.comments("acme/shop", number: number).filter { $0.body.hasPrefix(StatusComment.marker(run: run)) }
        }

        func requests(_ method: String) -> [FakeGitHubRequest] { server.requests.filter { $0.method == method } }
    }

    static func with(_ body: (OperatorHarness, GitHubSide) async throws -> Void) async throws {
        let gh = try await GitHubSide.start()
        do {
            try await OperatorHarness.with(customize: { $0.webhook.allowedRepositories = ["acme/shop"] }) { h in try await body(h, gh) }
        } catch {
            await gh.stop()
            throw error
        }
        await gh.stop()
    }

    func start(_ h: OperatorHarness, _ gh: GitHubSide, workers: Int = 4) -> RunningReporter {
        let reporter = GitHubReporter(client: h.client, github: gh.client, config: h.config, workers: workers, clock: gh.clock,
                                      outageBackoff: PerKeyExponentialRateLimiter(base: .milliseconds(5), maximum: .seconds(1)),
                                      logger: gh.logs.logger)
        return RunningReporter(reporter: reporter, task: Task { await reporter.controller.run() })
    }

    @Test func oneCommentAcrossRestartsALostIdOnPageThreeAndADeletedComment() async throws {
        try await Self.with { h, gh in
            let number = gh.server.addIssue("acme/shop", title: "busy", labels: ["run:dev"])
            for i in 0..<200 { gh.server.addComment("acme/shop", number: number, body: "comment \(i)") }
            let first = start(h, gh)
            try await h.createRun("http-1", issue: Int64(number))
            let queued = try await h.waitForReport("http-1", "Pending")
            let id = try #require(queued.status?.report?.commentID)
            #expect(gh.marked("http-1", number).map(\.id) == [id])
            await first.stop()

            // Restart with the id in status: an edit, no scan.
            try await h.setStatus("http-1", ["phase": "Provisioning"])
            let second = start(h, gh)
            try await h.waitForReport("http-1", "Provisioning")
            await second.stop()
            #expect(gh.requests("POST").filter { $0.path.hasSuffix("/comments") }.count == 1)

            // Restart with the id lost and 40 more comments: the marker is on page 3 of 100.
            for i in 0..<40 { gh.server.addComment("acme/shop", number: number, body: "later \(i)") }
            gh.server.clearRequests()
            try await h.setStatus("http-1", ["report": .null, "phase": "Running"])
            let third = start(h, gh)
            let running = try await h.waitForReport("http-1", "Running")
            #expect(running.status?.report?.commentID == id)
            let pages = gh.requests("GET").filter { $0.path.hasSuffix("/comments") }.map { $0.queryItem("page") ?? "1" }
            #expect(pages == ["1", "2", "3"])
            #expect(gh.requests("POST").isEmpty)
            #expect(gh.marked("http-1", number).map(\.id) == [id])

            // Deleted by a person: recreated once, with the new id in status.
            gh.server.deleteComment(id: id)
            try await h.setStatus("http-1", ["phase": "Failed", "reason": "JobFailed", "message": "exit 1"])
            let failed = try await h.waitForReport("http-1", "Failed")
            let recreated = try #require(failed.status?.report?.commentID)
            #expect(recreated != id)
            #expect(gh.marked("http-1", number).map(\.id) == [recreated])
            await third.stop()
        }
    }

    @Test func fiftyRunsConcurrentlyGetOneCommentEachOverHTTP() async throws {
        try await Self.with { h, gh in
            let issues = (0..<5).map { _ in gh.server.addIssue("acme/shop", labels: ["run:dev"]) }
            let rep = start(h, gh, workers: 8)
            let names = (1...50).map { "fifty-\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, name) in names.enumerated() {
                    group.addTask { try await h.createRun(name, issue: Int64(issues[i % 5])) }
                    group.addTask { for _ in 0..<5 { rep.reporter.requeueAll() } }
                }
                try await group.waitForAll()
            }
            for name in names { try await h.waitForReport(name, "Pending") }
            await rep.settle()
            for (i, name) in names.enumerated() { #expect(gh.marked(name, issues[i % 5]).count == 1, "\(name)") }
            #expect(gh.requests("POST").filter { $0.path.hasSuffix("/comments") }.count == 50)
            await rep.stop()
        }
    }

    @Test(arguments: [429, 403])
    func aSecondaryLimitIsHonouredForEveryRunUntilRetryAfter(_ status: Int) async throws {
        try await Self.with { h, gh in
            let a = gh.server.addIssue("acme/shop", labels: ["run:dev"])
            let b = gh.server.addIssue("acme/shop", labels: ["run:qa"])
            gh.server.failNext(.secondaryLimit(status: status, retryAfter: 90))
            let rep = start(h, gh, workers: 1)
            try await h.createRun("lim-a", issue: Int64(a))
            try await h.createRun("lim-b", issue: Int64(b), stage: .qa)
            await gh.client.waitForCalls(1)
            await rep.settle()
            rep.reporter.requeueAll()
            await rep.settle()
            #expect(gh.server.requests.count == 1)
            #expect(gh.server.requests.first?.status == status)
            gh.clock.advance(seconds: 89)
            rep.reporter.requeueAll()
            await rep.settle()
            #expect(gh.server.requests.count == 1)
            gh.clock.advance(seconds: 2)
            rep.reporter.requeueAll()
            try await h.waitForReport("lim-a", "Pending")
            try await h.waitForReport("lim-b", "Pending")
            #expect(gh.marked("lim-a", a).count == 1 && gh.marked("lim-b", b).count == 1)
            await rep.stop()
        }
    }

    @Test func theTokenNeverAppearsInLogsEventsOrStatus() async throws {
        try await Self.with { h, gh in
            let number = gh.server.addIssue("acme/shop", labels: ["run:dev"])
            let rep = start(h, gh)
            try await h.createRun("tok-1", issue: Int64(number))
            try await h.waitForReport("tok-1", "Pending")
            // A hostile answer quoting the Authorization header: dropped until the next change.
            gh.server.failNext(.echoAuthorization)
            var calls = gh.client.count
            try await h.setStatus("tok-1", ["phase": "Running"])
            await gh.client.waitForCalls(calls + 1)
            // An outage: retried (and logged) until it passes.
            gh.server.failNext(.status(502), times: 2)
            try await h.setStatus("tok-1", ["phase": "Waiting", "reason": "WaitingMCP"])
            try await h.waitForReport("tok-1", "Waiting")
            // The token is refused from now on: the 401 is logged.
            gh.server.setTokens(["another-token"])
            calls = gh.client.count
            try await h.setStatus("tok-1", ["phase": "Failed", "reason": "JobFailed", "message": "exit 1"])
            await gh.client.waitForCalls(calls + 1)
            await rep.settle()
            await rep.stop()
            let token = FakeGitHubServer.defaultToken
            #expect(gh.logs.all.count >= 3)
            #expect(gh.logs.all.allSatisfy { !$0.contains(token) && !$0.contains(String(token.suffix(20))) })
            #expect(gh.server.requests.contains { $0.status == 422 } && gh.server.requests.contains { $0.status == 401 })
            let run = try await h.run("tok-1")
            #expect(!String(describing: run).contains(token))
            let events = try await h.client.list(Event.self, namespace: h.config.controlNamespace).items
            #expect(events.allSatisfy { !String(describing: $0).contains(token) })
        }
    }

    @Test func resyncOverHTTPCreatesTheMissingRunOnce() async throws {
        try await Self.with { h, gh in
            let missed = gh.server.addIssue("acme/shop", title: "missed", labels: ["run:dev"], author: "alice")
            gh.server.addIssue("acme/shop", title: "closed", labels: ["run:dev"], open: false)
            let conflict = gh.server.addIssue("acme/shop", title: "two", labels: ["run:dev", "run:qa"])
            let reporter = GitHubReporter(client: h.client, github: gh.client, config: h.config, resyncInterval: .seconds(3600),
                                          clock: gh.clock, logger: gh.logs.logger)
            let resync = try #require(reporter.resync)
            let caches = Task { await resync.runCaches() }
            await resync.waitForCache()
            let first = await resync.resyncOnce()
            #expect(first.created.count == 1 && first.conflicts == ["acme/shop#\(conflict)"])
            let second = await resync.resyncOnce()
            #expect(second.created.isEmpty && second.conflicts.isEmpty)
            let runs = try await h.client.list(AgentRun.self, namespace: h.config.controlNamespace).items
            #expect(runs.map(\.spec.issue) == [Int64(missed)])
            #expect(gh.server.labels("acme/shop", number: conflict).contains("need:input"))
            #expect(gh.server.comments("acme/shop", number: conflict).count == 1)
            caches.cancel()
            await caches.value
        }
    }
}

/// A `GitHubAPI` that forwards to another and counts the calls that returned (either way).
final class ObservedGitHub: GitHubAPI {
    let inner: any GitHubAPI
    private let state = Mutex<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))

    init(_ inner: any GitHubAPI) { self.inner = inner }

    var count: Int { state.withLock { $0.count } }

    func waitForCalls(_ n: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.count >= n { return true }
                s.waiters.append((n, c))
                return false
            }
            if ready { c.resume() }
        }
    }

    private func observe<T>(_ call: () async throws(GitHubError) -> T) async throws(GitHubError) -> T {
        defer {
            let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.count += 1
                let n = s.count
                let ready = s.waiters.filter { $0.0 <= n }.map(\.1)
                s.waiters.removeAll { $0.0 <= n }
                return ready
            }
            ready.forEach { $0.resume() }
        }
        return try await call()
    }

    func listComments(repository: String, number: Int) async throws(GitHubError) -> [GitHubComment] {
        try await observe { () async throws(GitHubError) in try await inner.listComments(repository: repository, number: number) }
    }
    func createComment(repository: String, number: Int, body: String) async throws(GitHubError) -> GitHubComment {
        try await observe { () async throws(GitHubError) in try await inner.createComment(repository: repository, number: number, body: body) }
    }
    func updateComment(repository: String, commentID: Int64, body: String) async throws(GitHubError) -> GitHubComment {
        try await observe { () async throws(GitHubError) in
            try await inner.updateComment(repository: repository, commentID: commentID, body: body)
        }
    }
    func addLabels(repository: String, number: Int, labels: [String]) async throws(GitHubError) {
        try await observe { () async throws(GitHubError) in try await inner.addLabels(repository: repository, number: number, labels: labels) }
    }
    func removeLabel(repository: String, number: Int, label: String) async throws(GitHubError) {
        try await observe { () async throws(GitHubError) in try await inner.removeLabel(repository: repository, number: number, label: label) }
    }
    func listOpenIssues(repository: String) async throws(GitHubError) -> [GitHubIssue] {
        try await observe { () async throws(GitHubError) in try await inner.listOpenIssues(repository: repository) }
    }
}

