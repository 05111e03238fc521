import Foundation
@testable import KubeRuntime

/// A clock that only moves when a test calls `advance(by:)`; sleepers resume when their deadline
/// is reached. `waitForSleepers` lets a test wait (without sleeping) until code under test is
/// blocked on the clock, so advancing is deterministic. `onChange` (optional) runs, outside the
/// clock's lock, after every change of the sleepers or of the time: a test can re-check a
/// condition on the clock's state without polling.
final class ManualClock: RuntimeClock {
    struct Sleeper: Sendable {
        var id: UInt64
        var deadline: MonotonicInstant
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// A condition on the sleepers' deadlines (and the current time).
    typealias Condition = @Sendable (_ deadlines: [MonotonicInstant], _ now: MonotonicInstant) -> Bool

    struct State: Sendable {
        var now = MonotonicInstant(sinceOrigin: .zero)
        var wall = Date(timeIntervalSince1970: 1_800_000_000)
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        var sleeperWaiters: [(id: UInt64, condition: Condition, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())
    private let onChange: (@Sendable () -> Void)?

    init(onChange: (@Sendable () -> Void)? = nil) {
        self.onChange = onChange
    }

    func now() -> MonotonicInstant { state.withLock { $0.now } }
    func wallNow() -> Date { state.withLock { $0.wall } }

    func suspend(until deadline: MonotonicInstant) async throws {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                enum Outcome { case due, cancelled, waiting([CheckedContinuation<Void, Never>]) }
                let outcome = state.withLock { s -> Outcome in
                    if Task.isCancelled { return .cancelled }
                    if deadline <= s.now { return .due }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: c))
                    return .waiting(Self.satisfiedWaiters(&s))
                }
                switch outcome {
                case .due: c.resume()
                case .cancelled: c.resume(throwing: CancellationError())
                case .waiting(let ws):
                    ws.forEach { $0.resume() }
                    onChange?()
                }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i).continuation
            }
            c?.resume(throwing: CancellationError())
            if c != nil { onChange?() }
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by d: Duration) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now + d
            s.wall = s.wall.addingTimeInterval(d.seconds)
            let due = s.sleepers.filter { $0.deadline <= s.now }
            s.sleepers.removeAll { $0.deadline <= s.now }
            return due
        }
        due.forEach { $0.continuation.resume() }
        onChange?()
    }

    /// Waits until at least `count` tasks are sleeping on this clock (counting only sleepers due
    /// within `within` of now, when given).
    func waitForSleepers(_ count: Int = 1, dueWithin within: Duration? = nil) async {
        await waitUntil { deadlines, now in
            guard let within else { return deadlines.count >= count }
            return deadlines.filter { $0 <= now + within }.count >= count
        }
    }

    /// Waits until some task sleeps until exactly `deadline` (e.g. one particular timer).
    func waitForSleeper(until deadline: MonotonicInstant) async {
        await waitUntil { deadlines, _ in deadlines.contains(deadline) }
    }

    /// Waits until `condition` holds for the sleepers' deadlines (checked whenever one starts
    /// sleeping), or the task is cancelled (e.g. by the test's time limit: the test then goes on
    /// and fails on what it expected instead of hanging).
    func waitUntil(_ condition: @escaping Condition) async {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if condition(s.sleepers.map(\.deadline), s.now) || Task.isCancelled { return true }
                    s.sleeperWaiters.append((id, condition, c))
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
                guard let i = s.sleeperWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleeperWaiters.remove(at: i).continuation
            }
            c?.resume()
        }
    }

    /// Releases every `waitForSleepers` call at once (for tests whose number of sleepers changes).
    func kick() {
        let waiters = state.withLock { s in let w = s.sleeperWaiters; s.sleeperWaiters = []; return w }
        waiters.forEach { $0.continuation.resume() }
    }

    /// The earliest deadline anyone sleeps until, if any.
    var nextDeadline: MonotonicInstant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The deadlines of every sleeper, earliest first.
    var deadlines: [MonotonicInstant] { state.withLock { $0.sleepers.map(\.deadline).sorted() } }

    private static func satisfiedWaiters(_ s: inout State) -> [CheckedContinuation<Void, Never>] {
        let deadlines = s.sleepers.map(\.deadline)
        let now = s.now
        let ready = s.sleeperWaiters.filter { $0.condition(deadlines, now) }.map(\.continuation)
        s.sleeperWaiters.removeAll { $0.condition(deadlines, now) }
        return ready
    }
}
