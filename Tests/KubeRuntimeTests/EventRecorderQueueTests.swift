import KubeAPI
import Testing
@testable import KubeRuntime

/// A count that tests can wait on (no polling).
final class WaitableCount: Sendable {
    private let state = Locked<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))

    func increment() {
        let due = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.count += 1
            let due = s.waiters.filter { $0.0 <= s.count }.map(\.1)
            s.waiters.removeAll { $0.0 <= s.count }
            return due
        }
        due.forEach { $0.resume() }
    }

    /// Returns once the count has reached `count`.
    func wait(for count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.count >= count { return true }
                s.waiters.append((count, c))
                return false
            }
            if ready { c.resume() }
        }
    }
}

/// An EventSink whose calls wait at a gate until the test opens it (an API server that is slow).
final class GatedEventSink: EventSink {
    let inner = FakeEventSink()
    /// Calls that reached the sink (waiting at the gate or through it), and calls finished.
    let arrived = WaitableCount()
    let finished = WaitableCount()
    private let gate = Gate()  // ControllerTests' gate: calls wait in `enterAndWait` until `open()`

    func open() { gate.open() }

    private func pass() async {
        arrived.increment()
        await gate.enterAndWait()
    }

    func create(_ event: Event) async throws {
        await pass()
        defer { finished.increment() }
        try await inner.create(event)
    }

    func updateSeries(namespace: String, name: String, series: EventSeries) async throws {
        await pass()
        defer { finished.increment() }
        try await inner.updateSeries(namespace: namespace, name: name, series: series)
    }
}

@Suite(.timeLimit(.minutes(1))) struct EventRecorderQueueTests {
    let run = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", namespace: "codex", name: "r1", uid: "u1")

    /// Workers record the same event while its create is still in flight: one Event, whose series
    /// ends at the total count — never a second Event from a concurrent caller.
    @Test func concurrentRepeatsWhileTheCreateIsInFlightFoldIntoOneSeries() async {
        let sink = GatedEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: "pod-1", clock: ManualClock())
        let first = Task { await recorder.record(regarding: run, type: .normal, reason: "Started", action: "Run") }
        await sink.arrived.wait(for: 1)  // the create is in flight, held at the gate
        for _ in 0..<4 { await recorder.record(regarding: run, type: .normal, reason: "Started", action: "Run") }
        sink.open()
        await first.value
        let s = sink.inner.state.value
        #expect(s.creates == 1, "one Event, not one per concurrent caller")
        #expect(s.events.values.first?.series?.count == 5)
    }

    /// `post` returns at once even while the API is stuck, writes in order once it answers, and
    /// counts what a full queue drops.
    @Test func postNeverWaitsWritesInOrderAndCountsDrops() async {
        let sink = GatedEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: "pod-1", queueCapacity: 2, clock: ManualClock())
        #expect(recorder.post(regarding: run, type: .normal, reason: "R0", action: "Run"))
        await sink.arrived.wait(for: 1)  // R0 is being written (held at the gate); the queue is empty
        #expect(recorder.post(regarding: run, type: .normal, reason: "R1", action: "Run"))
        #expect(recorder.post(regarding: run, type: .normal, reason: "R2", action: "Run"))
        #expect(!recorder.post(regarding: run, type: .normal, reason: "R3", action: "Run"), "the queue holds 2")
        #expect(recorder.droppedCount == 1)
        sink.open()
        await sink.finished.wait(for: 3)
        let reasons = sink.inner.state.value.events.values.sorted { $0.metadata.name! < $1.metadata.name! }.map(\.reason)
        #expect(reasons == ["R0", "R1", "R2"])
    }
}
