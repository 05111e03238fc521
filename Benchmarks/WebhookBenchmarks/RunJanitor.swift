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
