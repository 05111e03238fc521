import Audit
import Foundation
import Testing

@Suite struct DatabaseURLTests {
    @Test(arguments: [
        ("postgresql://audit:hunter2-secret@db.example:5432/codex?sslmode=require",
         "postgresql://audit@db.example:5432/codex"),
        ("host=db.example port=5433 user=audit password=hunter2-secret dbname=codex",
         "postgresql://audit@db.example:5433/codex"),
        ("postgres://db.example/codex", "postgresql://db.example/codex"),
    ])
    func descriptionNeverShowsThePassword(raw: String, shown: String) throws {
        let url = try DatabaseURL(raw)
        #expect(url.description == shown)
        #expect(!"\(url)".contains("hunter2"))
        #expect(!String(reflecting: url).contains("hunter2"))
    }

    @Test func malformedURLIsRejectedWithoutEchoingIt() {
        let raw = "postgresql://audit:hunter2-secret@db/x?bogus_option=1"
        #expect(throws: AuditConfigurationError.self) { try DatabaseURL(raw) }
        do {
            _ = try DatabaseURL(raw)
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
        #expect(throws: AuditConfigurationError.emptyDatabaseURL) { try DatabaseURL("  \n") }
    }

    @Test(arguments: ["postgresql://audit:hunter2%zz@db/x", "host=db password=hunter2 bogus=1",
                      "postgresql://db/x?password=hunter2%zz"])
    func libpqsMessageIsKeptWholeWithThePasswordMasked(raw: String) {
        do {
            _ = try DatabaseURL(raw)
            Issue.record("accepted \(raw)")
        } catch {
            guard case .invalidDatabaseURL(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(!reason.contains("hunter2"), "\(reason)")
            #expect(reason.contains("\""), "the quoted part of libpq's message is kept: \(reason)")
        }
    }

    @Test func loadsFromFileThenEnvironment() throws {
        let path = NSTemporaryDirectory() + "/codex-audit-url-\(UUID().uuidString)"
        try "postgresql://a:pw@h:1/db\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try DatabaseURL.load(file: path, environment: [DatabaseURL.environmentVariable: "host=other"])
        #expect(fromFile?.description == "postgresql://a@h:1/db")
        let fromEnv = try DatabaseURL.load(file: nil, environment: [DatabaseURL.environmentVariable: "host=other"])
        #expect(fromEnv?.description == "postgresql://other")
        #expect(try DatabaseURL.load(file: nil, environment: [:]) == nil)
        #expect(throws: AuditConfigurationError.unreadableDatabaseURLFile(path: path + ".missing",
                                                                        reason: "No such file or directory")) {
            try DatabaseURL.load(file: path + ".missing", environment: [:])
        }
    }

    @Test func connectionErrorsDoNotContainThePassword() throws {
        // Nothing listens on port 1: the connection fails, and the message must not leak the password.
        let url = try DatabaseURL("postgresql://audit:hunter2-secret@127.0.0.1:1/codex?connect_timeout=2")
        do {
            try PostgresAuditSink.migrate(url)
            Issue.record("connecting to port 1 succeeded")
        } catch {
            #expect(error.kind == .connection)
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.isEmpty)
        }
    }
}
