import Foundation

/// The end-to-end benchmark's stand-in for the operator's clean-up of finished runs, which keeps
/// the apiserver's and the adapter's stores bounded (`--janitor MODE`).
///
/// Contract: `created` is called by the load generator for every 202 with the run's name (from
/// any worker thread); `deletedCount` counts runs that are gone (finalizer removed) since start.
protocol RunJanitor: Sendable {
    var deletedCount: Int { get }
    func start()
    func stop()
    func created(_ name: String, at time: UInt64)
}

/// `--janitor bursts|paced|off`.
enum JanitorMode: String, CaseIterable, Sendable {
    /// `BurstJanitor`: DELETE collection, then the finalizer PATCHes over 16 connections, round after round.
    case bursts
    /// `PacedJanitor`: each run deleted and released on its own, `PacedJanitor.delay` after its
    /// creation — at the rate runs are created, as the operator releases runs one by one.
    case paced
    /// No clean-up: the stores grow by every run created.
    case off
}

/// `--janitor off`.
struct NoJanitor: RunJanitor {
    var deletedCount: Int { 0 }
    func start() {}
    func stop() {}
    func created(_ name: String, at time: UInt64) {}
}

/// What both janitors send: the runs' collection path and the finalizer PATCH.
enum JanitorRequests {
    /// The AgentRuns of the benchmark's namespace.
    static var runs: String { "/apis/codex-k8s.dev/v1alpha1/namespaces/\(EndToEndBenchmark.namespace)/agentruns" }

    /// The merge PATCH that removes run `name`'s finalizers, as the operator does after its
    /// clean-up, so a run being deleted goes.
    static func releaseFinalizer(_ name: String, token: String) -> [UInt8] {
        let body = Array(#"{"metadata":{"finalizers":null}}"#.utf8)
        return Array(("PATCH \(runs)/\(name) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/merge-patch+json\r\nContent-Length: \(body.count)\r\n\r\n").utf8) + body
    }
}
