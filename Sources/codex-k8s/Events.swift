import ArgumentParser
import Audit
import Foundation

/// `codex-k8s events [--follow] [--run NAME] [--repository R] [--since DURATION]`: prints the audit
/// trail from PostgreSQL — the recent history, then (with `--follow`) every new event as it is stored.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print audit events from the database (recent history, then the live feed with --follow).")

    @Flag(help: "Keep running and print new events as they are stored.")
    var follow = false

    @Option(name: .customLong("run"), help: "Only events of this AgentRun.")
    var runName: String?

    @Option(help: "Only events of this repository (owner/name).")
    var repository: String?

    @Option(help: "History window, e.g. 30m, 2h, 1d (default: 1h).")
    var since = "1h"

    // `.unconditional`: `--limit -1` reaches `validate()` (a real message) instead of being taken
    // for an option ("Missing value").
    @Option(parsing: .unconditional, help: "At most this many history events.")
    var limit = 100

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard FeedDuration.seconds(since) != nil else {
            throw ValidationError("--since must be a duration such as 30s, 15m, 2h or 1d; got \(since)")
        }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more; got \(limit)") }
    }

    func run() throws {
        let url = try database.url()
        let filter = AuditFeedFilter(run: runName, repository: repository, since: FeedDuration.seconds(since),
                                     historyLimit: limit)
        let follower = AuditFollower(url: url, filter: filter)
        do {
            try follower.run(follow: follow, onListening: {
                FileHandle.standardError.write(Data("following new events (\(url))\n".utf8))
            }, onEntry: { entry in
                // Unbuffered: each line reaches a pipe as soon as the event arrives.
                FileHandle.standardOutput.write(Data((entry.line + "\n").utf8))
            })
        } catch {
            throw DatabaseFailure.exit("events", error, url: url)
        }
    }
}
