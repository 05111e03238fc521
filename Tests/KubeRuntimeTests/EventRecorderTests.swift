import KubeAPI
import Testing
@testable import KubeRuntime

final class FakeEventSink: EventSink {
    struct State: Sendable {
        var events: [String: Event] = [:]
        var creates = 0
        var patches = 0
        var failPatches = false
    }
    let state = Locked(State())

    func create(_ event: Event) async throws {
        try state.withLock { s in
            let key = "\(event.metadata.namespace!)/\(event.metadata.name!)"
            if s.events[key] != nil { throw Status(reason: "AlreadyExists", code: 409) }
            s.events[key] = event
            s.creates += 1
        }
    }

    func updateSeries(namespace: String, name: String, series: EventSeries) async throws {
        try state.withLock { s in
            if s.failPatches { throw Status(reason: "NotFound", code: 404) }
            guard s.events["\(namespace)/\(name)"] != nil else { throw Status(reason: "NotFound", code: 404) }
            s.events["\(namespace)/\(name)"]!.series = series
            s.patches += 1
        }
    }
}

@Suite struct EventRecorderTests {
    let run = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", namespace: "codex", name: "r1", uid: "u1")

    @Test func repeatsAggregateIntoOneSeries() async {
        let clock = ManualClock()
        let sink = FakeEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: "pod-1", clock: clock)
        for _ in 0..<5 {
            await recorder.record(regarding: run, type: .warning, reason: "WaitingForSlot", action: "Admit",
                                  note: "3 runs active")
            clock.advance(by: .seconds(10))
        }
        await recorder.record(regarding: run, type: .normal, reason: "Provisioning", action: "Provision")
        let s = sink.state.value
        #expect(s.creates == 2)
        #expect(s.patches == 4)
        let waiting = s.events.values.first { $0.reason == "WaitingForSlot" }!
        #expect(waiting.series?.count == 5)
        #expect(waiting.series?.lastObservedTime == MicroTime(KubeTime(clock.wallNow().addingTimeInterval(-10))))
        #expect(waiting.type == "Warning" && waiting.regarding == run && waiting.reportingInstance == "pod-1")
        #expect(waiting.metadata.namespace == "codex" && waiting.metadata.name!.hasPrefix("r1."))
        let provisioning = s.events.values.first { $0.reason == "Provisioning" }!
        #expect(provisioning.series == nil)
    }

    @Test func aRepeatAfterTheWindowStartsANewEvent() async {
        let clock = ManualClock()
        let sink = FakeEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "c", reportingInstance: "i",
                                     aggregationWindow: .seconds(360), clock: clock)
        await recorder.record(regarding: run, type: .normal, reason: "Synced", action: "Sync")
        clock.advance(by: .seconds(361))
        await recorder.record(regarding: run, type: .normal, reason: "Synced", action: "Sync")
        #expect(sink.state.value.creates == 2)
        #expect(sink.state.value.patches == 0)
    }

    /// Expired entries are pruned at most once per window; one that expired since the last prune
    /// must not aggregate either.
    @Test func aRepeatAfterTheWindowStartsANewEventEvenBeforeThePrune() async {
        let clock = ManualClock()
        let sink = FakeEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "c", reportingInstance: "i",
                                     aggregationWindow: .seconds(360), clock: clock)
        await recorder.record(regarding: run, type: .normal, reason: "X", action: "Sync") // prunes at 0
        clock.advance(by: .seconds(10))
        await recorder.record(regarding: run, type: .normal, reason: "A", action: "Sync")
        clock.advance(by: .seconds(355))
        await recorder.record(regarding: run, type: .normal, reason: "Y", action: "Sync") // prunes at 365: A is 355 s old, kept
        clock.advance(by: .seconds(6))
        await recorder.record(regarding: run, type: .normal, reason: "A", action: "Sync") // 361 s after A: a new Event
        #expect(sink.state.value.creates == 4)
        #expect(sink.state.value.patches == 0)
    }

    @Test func aFailedSeriesUpdateFallsBackToANewEventAndLongNotesAreTruncated() async {
        let sink = FakeEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "c", reportingInstance: "i", clock: ManualClock())
        let note = String(repeating: "é", count: 2000)
        await recorder.record(regarding: run, type: .normal, reason: "R", action: "A", note: note)
        sink.state.withLock { $0.failPatches = true }
        await recorder.record(regarding: run, type: .normal, reason: "R", action: "A", note: note)
        let s = sink.state.value
        #expect(s.creates == 2)
        #expect(s.events.values.allSatisfy { $0.note!.utf8.count <= 1024 && $0.note!.utf8.count >= 1022 })
    }
}
