import Foundation
import Testing

/// The `codex-k8s` binary's usage errors: one line naming the problem and the fix, then the usage
/// of the subcommand that was called, and exit status 64 (EX_USAGE).
@Suite(.timeLimit(.minutes(1))) struct CLIErrorTests {
    /// Asserts a usage error of `subcommand`: the `Error:` line, the subcommand's usage, status 64.
    static func expectUsageError(_ run: BinaryRun, _ message: String, subcommand: String,
                                 sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(run.status == 64, "\(run)", sourceLocation: sourceLocation)
        #expect(run.stderr.first == "Error: \(message)", "\(run)", sourceLocation: sourceLocation)
        #expect(run.stderr.dropFirst().first?.hasPrefix("Usage: codex-k8s \(subcommand) ") == true, "\(run)",
                sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "\(run)", sourceLocation: sourceLocation)
    }

    static let forms = "expected postgresql://USER:PASSWORD@HOST:PORT/DBNAME or key=value pairs"

    @Test func eventsWithoutADatabaseShowsTheEventsUsage() async throws {
        let run = try await BinaryRun.codexK8s(["events"])
        Self.expectUsageError(run, "no database given: pass --database-url-file FILE or set CODEX_K8S_DATABASE_URL",
                              subcommand: "events")
    }

    @Test func aNegativeLimitIsNamed() async throws {
        let run = try await BinaryRun.codexK8s(["events", "--limit", "-1"],
                                               environment: ["CODEX_K8S_DATABASE_URL": "postgresql://127.0.0.1:1/x"])
        Self.expectUsageError(run, "--limit must be 0 or more; got -1", subcommand: "events")
    }

    @Test(arguments: [
        ("not a url", #"missing "=" after "not" in connection info string"#),
        ("mysql://db.example/codex", #"missing "=" after "mysql://db.example/codex" in connection info string"#),
        ("postgresql://audit:hunter2@db/x?bogus_option=1", #"invalid URI query parameter: "bogus_option""#),
    ])
    func anInvalidURLKeepsLibpqsWholeMessage(url: String, reason: String) async throws {
        let run = try await BinaryRun.codexK8s(["events"], environment: ["CODEX_K8S_DATABASE_URL": url])
        Self.expectUsageError(run, "the database URL is invalid: \(reason); \(Self.forms)", subcommand: "events")
        #expect(!run.stderr.joined().contains("hunter2"))
    }

    @Test func aDirectoryAsTheURLFileSaysSo() async throws {
        let directory = NSTemporaryDirectory()
        let run = try await BinaryRun.codexK8s(["db", "migrate", "--database-url-file", directory])
        Self.expectUsageError(run, "cannot read the database URL file \(directory): Is a directory",
                              subcommand: "db migrate")
        let missing = try await BinaryRun.codexK8s(["events", "--database-url-file", directory + "/no-such-file"])
        Self.expectUsageError(missing, "cannot read the database URL file \(directory)/no-such-file: No such file or directory",
                              subcommand: "events")
    }

    @Test func anUnreachableDatabaseIsOneLineWithAHint() async throws {
        let run = try await BinaryRun.codexK8s(["db", "migrate"],
                                               environment: ["CODEX_K8S_DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/x"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.count == 1, "\(run)")
        #expect(run.stderr.first?.hasPrefix("codex-k8s db migrate: cannot connect to postgresql://u@127.0.0.1:1/x (") == true,
                "\(run)")
        #expect(run.stderr.first?.hasSuffix("check that PostgreSQL runs there and the URL is right") == true, "\(run)")
    }
}
