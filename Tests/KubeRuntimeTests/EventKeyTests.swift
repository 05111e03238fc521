import KubeAPI
import Testing
@testable import KubeRuntime

/// `EventKey`: the recorder's aggregation key as one length-prefixed string — exact (equal only
/// when every field is) and reversible (the Event is created from the decoded fields).
@Suite struct EventKeyTests {
    static let awkward = ["", "-", "+", ":", "12:", "3:abc", "ü→😀", "a-b+c:d", String(repeating: "x", count: 1024)]

    static func key(_ regarding: ObjectReference, _ related: ObjectReference? = nil, type: String = "Normal",
                    reason: String = "R", action: String = "A", note: String? = nil) -> EventKey {
        EventKey(regarding: regarding, related: related, type: type, reason: reason, action: action, note: note)
    }

    @Test func fieldsComeBackExactly() {
        for s in Self.awkward {
            let regarding = ObjectReference(apiVersion: s, kind: "AgentRun", namespace: s, name: "n\(s)", uid: s)
            let related = ObjectReference(kind: s, fieldPath: s)
            for rel in [nil, related] {
                for note in [nil, s] {
                    let k = Self.key(regarding, rel, type: s, reason: s, action: "a" + s, note: note)
                    #expect(k.fields == EventKey.Fields(regarding: regarding, related: rel, type: s, reason: s, action: "a" + s,
                                                        note: note))
                }
            }
        }
    }

    @Test func keysAreEqualExactlyWhenEveryFieldIs() {
        let run = ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", namespace: "codex", name: "r1", uid: "u1")
        var variants: [EventKey] = [Self.key(run), Self.key(run, note: ""), Self.key(run, note: "x"),
                                    Self.key(run, ObjectReference()), Self.key(run, type: "Warning"),
                                    Self.key(run, reason: "R2"), Self.key(run, action: "A2")]
        // Moving characters between neighbouring fields must not give the same key.
        variants.append(Self.key(ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", namespace: "codex",
                                                 name: "r", uid: "1u1")))
        variants.append(Self.key(ObjectReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", namespace: "codex",
                                                 name: "r1", uid: "u1", resourceVersion: "")))
        variants.append(Self.key(run, reason: "RA", action: ""))
        #expect(Set(variants).count == variants.count)
        #expect(Self.key(run, note: "x") == Self.key(run, note: "x"))
        #expect(Self.key(run, ObjectReference(name: "p")) == Self.key(run, ObjectReference(name: "p")))
    }

    /// Through the recorder: an occurrence with awkward fields creates an Event carrying them, a
    /// repeat aggregates into it, and one differing only in nil against "" is another Event.
    @Test func theRecorderCreatesEventsFromTheKeysFields() async {
        let sink = FakeEventSink()
        let recorder = EventRecorder(sink: sink, reportingController: "c", reportingInstance: "i", clock: ManualClock())
        let regarding = ObjectReference(apiVersion: "v1", kind: "Pod", namespace: "ns", name: "p-1:2", uid: "3:u")
        let related = ObjectReference(kind: "Node", name: "-")
        for _ in 0..<3 {
            await recorder.record(regarding: regarding, type: .warning, reason: "Back:Off", action: "Pull-", note: "12:ü",
                                  related: related)
        }
        await recorder.record(regarding: regarding, type: .warning, reason: "Back:Off", action: "Pull-", note: "",
                              related: related)
        let events = sink.state.value.events.values
        #expect(events.count == 2)
        let repeated = events.first { $0.note == "12:ü" }
        #expect(repeated?.series?.count == 3)
        #expect(repeated?.regarding == regarding && repeated?.related == related && repeated?.type == "Warning")
        #expect(repeated?.reason == "Back:Off" && repeated?.action == "Pull-")
        #expect(events.first { $0.note == "" }?.series == nil)
    }
}
