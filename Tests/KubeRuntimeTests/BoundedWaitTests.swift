import Testing
@testable import KubeRuntime

/// The test helpers' waits end: a cancelled wait on the manual clock or the fake source returns
/// (so a test's time limit stops it), and the bounded waits throw when their patience runs out.
@Suite(.timeLimit(.minutes(1)))
struct BoundedWaitTests {
    @Test func aCancelledWaitOnTheManualClockReturns() async throws {
        let clock = ManualClock()
        let waiting = Task { await clock.waitForSleepers(1) }
        waiting.cancel()
        try await within("the cancelled waitForSleepers to return", .seconds(30)) { await waiting.value }
    }

    @Test func aCancelledWaitForWatchCallsReturns() async throws {
        let api = FakeListWatch<Widget>()
        let waiting = Task { await api.waitForWatchCalls(1) }
        waiting.cancel()
        try await within("the cancelled waitForWatchCalls to return", .seconds(30)) { await waiting.value }
    }

    @Test func withinThrowsWhenTheOperationDoesNotFinishInTime() async {
        let clock = ManualClock()
        await #expect(throws: WaitTimedOut.self) {
            try await within("a sleeper that never comes", .milliseconds(100)) { await clock.waitForSleepers(1) }
        }
    }

    @Test func waitUntilThrowsAfterItsPatienceAndReturnsOnceTheConditionHolds() async throws {
        let pulse = Pulse()
        await #expect(throws: WaitTimedOut.self) {
            try await waitUntil("a signal that never comes", pulse: pulse, patience: .milliseconds(100)) { false }
        }
        let flag = Locked(false)
        let setter = Task { flag.withLock { $0 = true }; pulse.signal() }
        try await waitUntil("the flag", pulse: pulse, patience: .seconds(30)) { flag.withLock { $0 } }
        await setter.value
    }
}
