import Foundation
import KubeAPI
import Runs
import Synchronization
import TestSupport

/// Deletes the adapter's AgentRuns continuously: one DELETE collection by the managed-by label,
/// then one PATCH per run that removes the operator's finalizer (what the operator does once it
/// has cleaned up), so the runs are gone from the apiserver and from the adapter's cache. The
/// patches go out over `patchConnections` connections (threads) at once, and the next round starts at once
/// (after `pause` when the round was small), so the clean-up keeps pace with 1,500+ creates/s —
/// once a second over one connection it fell behind and the backlog landed on later phases. The
/// steady state pays for one create, one delete and one patch per delivery.
///
/// Every round is a burst: the DELETE collection writes every listed run at once (a MODIFIED
/// watch event each), then 16 connections patch them as fast as the server answers (a DELETED
/// event each) — `--janitor bursts`, the default (`RunJanitor`).
final class BurstJanitor: RunJanitor {
    /// As many as the load generator's connections: the server serves connections in turn, so
    /// with fewer the clean-up gets a smaller share than the creates and falls behind.
    static let patchConnections = 16
    /// Rounds that found fewer runs than this wait `pause` before the next one.
    static let smallRound = 100
    static let pause: UInt64 = 200_000_000

    let serverPort: Int
    let token: String
    let deleted = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    let trace: Trace?

    init(serverPort: Int, token: String, trace: Trace?) {
        self.serverPort = serverPort
        self.token = token
        self.trace = trace
    }

    var deletedCount: Int { deleted.load(ordering: .relaxed) }

    func start() { Thread { self.run() }.start() }

    func stop() { running.store(false, ordering: .relaxed) }

    /// Finds its runs by listing them; the names are not needed.
    func created(_ name: String, at time: UInt64) {}

    private func run() {
        let selector = "\(WellKnown.managedByLabel)=\(WellKnown.managedByValue)"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let request = Array(("DELETE \(JanitorRequests.runs)?labelSelector=\(selector)"
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Length: 0\r\n\r\n").utf8)
        let connection = Connection(port: serverPort)
        let patchers = Mutex<[Connection]>((0..<Self.patchConnections).map { _ in Connection(port: serverPort) })
        while running.load(ordering: .relaxed) {
            let started = nanos()
            var next = started + Self.pause
            do {
                let answer = try connection.roundTrip(request)
                let listed = nanos()
                guard answer.status == 200, let list = try? JSONValue(parsing: answer.body) else {
                    say("janitor: \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
                    sleep(until: next)
                    continue
                }
                // The adapter creates runs with the operator's finalizer: drop it, as the operator
                // does after its clean-up, so the runs really go.
                var names: [String] = []
                for item in list["items"]?.arrayValue ?? [] {
                    guard let name = item[path: ["metadata", "name"]]?.stringValue else { continue }
                    if (item[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty {
                        deleted.add(1, ordering: .relaxed)
                    } else {
                        names.append(name)
                    }
                }
                if names.count >= Self.smallRound { next = 0 }
                let batches = names.chunked(into: Self.patchConnections)
                let connections = patchers.withLock { list in batches.indices.map { UnsafeSendable(list[$0]) } }
                onThreads(batches.count) { i in
                    for name in batches[i] { self.patch(name, on: connections[i].value) }
                }
                trace?.janitorRound(start: started, listed: listed, end: nanos(), runs: names.count)
            } catch {
                say("janitor: \(error)")
            }
            sleep(until: next)
        }
    }

    private func patch(_ name: String, on connection: Connection) {
        do {
            if try connection.roundTrip(JanitorRequests.releaseFinalizer(name, token: token)).status == 200 { deleted.add(1, ordering: .relaxed) }
        } catch {
            say("janitor: \(error)")
        }
    }
}
