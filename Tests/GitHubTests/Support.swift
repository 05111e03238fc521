import FakeGitHub
import Foundation
import GitHub
import Logging
import MetricsTestKit
import Synchronization
import TestSupport

/// A settable UTC epoch clock for the client's rate-limit decisions (no sleeping in tests).
final class ManualEpochClock: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double = 1_767_225_600) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}

/// A fake GitHub, a token file holding its token, and a client wired to both.
struct GitHubFixture {
    let server: FakeGitHubServer
    let tokenFile: String
    let clock = ManualEpochClock()
    let logs = LogRecorder()
    let metrics = TestMetrics()
    let client: GitHubRESTClient

    static func start(pathPrefix: String = "", perPage: Int = 100, token: String? = FakeGitHubServer.defaultToken) async throws -> GitHubFixture {
        let server = try await FakeGitHubServer.start(pathPrefix: pathPrefix)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-token-\(UUID().uuidString)").path
        if let token { try writeToken(token, to: file) }
        return GitHubFixture(server: server, tokenFile: file, perPage: perPage)
    }

    private init(server: FakeGitHubServer, tokenFile: String, perPage: Int) {
        self.server = server
        self.tokenFile = tokenFile
        let clock = self.clock
        client = GitHubRESTClient(options: GitHubClientOptions(apiURL: server.url, tokenFile: tokenFile, perPage: perPage),
                                  logger: logs.logger, metrics: metrics, now: { clock.now })
    }

    static func writeToken(_ token: String, to path: String) throws {
        try Data("\(token)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(atPath: tokenFile)
    }

    func requests(_ outcome: String) -> Int64 {
        (try? metrics.expectCounter("codex_github_requests_total", [("outcome", outcome)]).totalValue) ?? 0
    }
}

/// Runs `body` with a started fixture and always stops it.
func withGitHub<T>(pathPrefix: String = "", perPage: Int = 100, token: String? = FakeGitHubServer.defaultToken,
                   _ body: (GitHubFixture) async throws -> T) async throws -> T {
    let f = try await GitHubFixture.start(pathPrefix: pathPrefix, perPage: perPage, token: token)
    do {
        let r = try await body(f)
        await f.stop()
        return r
    } catch {
        await f.stop()
        throw error
    }
}

/// The error a call threw, or nil when it succeeded.
func githubError<T>(_ call: () async throws(GitHubError) -> T) async -> GitHubError? {
    do throws(GitHubError) {
        _ = try await call()
        return nil
    } catch {
        return error
    }
}
