import Foundation
@testable import KubeRuntime

/// A generation counter tasks can wait on: `signal()` bumps it and wakes every waiter. Waits are
/// bounded in wall-clock time and cancellation-aware, so a test that waits for something that
/// never comes fails with a message instead of hanging.
final class Pulse: Sendable {
    private struct State {
        var generation = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Locked(State())

    var generation: Int { state.withLock { $0.generation } }

    func signal() {
        let waiters = state.withLock { s in
            s.generation += 1
            let w = s.waiters
            s.waiters = [:]
            return w
        }
        waiters.values.forEach { $0.resume(returning: true) }
    }

    /// Returns `true` once the generation is past `seen`; `false` if the wall clock reaches
    /// `deadline` first or the task is cancelled.
    func wait(after seen: Int, until deadline: ContinuousClock.Instant) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(after: seen) }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Returns `true` once the generation is past `seen`, `false` when cancelled.
    private func wait(after seen: Int) async -> Bool {
        let id = state.withLock { s -> Int in s.nextID += 1; return s.nextID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let ready = state.withLock { s -> Bool? in
                    if s.generation > seen { return true }
                    if Task.isCancelled { return false }
                    s.waiters[id] = c
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            let c = state.withLock { $0.waiters.removeValue(forKey: id) }
            c?.resume(returning: false)
        }
    }
}

/// A bounded wait that ran out: thrown (and so reported by Swift Testing) instead of hanging.
struct WaitTimedOut: Error, CustomStringConvertible {
    var what: String
    var patience: Duration
    var diagnostics: String

    var description: String { "timed out after \(patience) waiting for \(what); \(diagnostics)" }
}

/// Waits until `condition` holds, re-checking it each time `pulse` signals (the signaller must
/// signal after every change `condition` depends on). Throws `WaitTimedOut`, with `diagnostics()`
/// describing the state at that moment, if it does not hold within `patience` of wall-clock time.
func waitUntil(_ what: String, pulse: Pulse, patience: Duration = .seconds(120),
               diagnostics: () -> String = { "" }, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + patience
    while true {
        let seen = pulse.generation
        if condition() { return }
        try Task.checkCancellation()
        if await !pulse.wait(after: seen, until: deadline) {
            try Task.checkCancellation()
            if condition() { return }
            throw WaitTimedOut(what: what, patience: patience, diagnostics: diagnostics())
        }
    }
}

/// Runs `operation` (a wait that may ignore cancellation, such as `ManualClock.waitForSleepers`)
/// and returns when it finishes; throws `WaitTimedOut` if it has not finished within `patience`
/// of wall-clock time (the operation is then cancelled and left behind).
func within(_ what: String, _ patience: Duration = .seconds(120),
            _ operation: @escaping @Sendable () async -> Void) async throws {
    let slot = Locked<CheckedContinuation<Bool, Never>?>(nil)
    var tasks: [Task<Void, Never>] = []
    let finished = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
        slot.withLock { $0 = c }
        tasks.append(Task { await operation(); slot.withLock { s in defer { s = nil }; return s }?.resume(returning: true) })
        tasks.append(Task {
            try? await Task.sleep(for: patience)
            slot.withLock { s in defer { s = nil }; return s }?.resume(returning: false)
        })
    }
    tasks.forEach { $0.cancel() }
    if !finished { throw WaitTimedOut(what: what, patience: patience, diagnostics: "") }
}
