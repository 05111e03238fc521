import ArgumentParser
import Operator
import Runs

/// `--resync-period`: an informer-style resync of `codex-k8s operator`.
extension OperatorCommand {
    /// Parses `--resync-period` (`30s`, `10m`, …; nil or `0s`: no resync).
    static func resyncPeriod(_ text: String?) throws -> Duration? {
        guard let text else { return nil }
        guard let d = RunDuration.parse(text) else {
            throw ValidationError("--resync-period must be a duration like 30s or 10m, got \(text)")
        }
        return d.seconds > 0 ? .seconds(d.seconds) : nil
    }

    /// Queues every cached AgentRun once per `period` until cancelled. Reconciles are driven by
    /// watch events and exact timers, so this is not needed for correctness: it re-checks unchanged
    /// runs (the benchmark's proof that a reconcile of an unchanged run writes nothing). Only the
    /// leader's workers take from the queue; a standby's queue just holds the (deduplicated) keys.
    static func resync(_ runtime: OperatorRuntime, every period: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: period) } catch { return }
            runtime.requeueAll()
        }
    }
}
