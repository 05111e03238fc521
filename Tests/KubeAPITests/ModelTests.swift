import Testing
import TestSupport
import KubeAPI

@Suite("KubeTime, ResourceDescriptor, Status, WatchEvent")
struct ModelTests {
    @Test("RFC 3339 forms parse to the same instant", arguments: [
        "2024-05-01T10:00:00Z", "2024-05-01T12:00:00+02:00", "2024-05-01T05:30:00-04:30",
        "2024-05-01t10:00:00z", "2024-05-01T10:00:00.000000Z",
    ])
    func rfc3339(text: String) throws {
        let t = try #require(KubeTime(rfc3339: text))
        #expect(t.secondsSince1970 == 1_714_557_600)
    }

    @Test("malformed times are rejected", arguments: [
        "", "2024-05-01", "2024-13-01T00:00:00Z", "2024-05-01T10:00:00", "2024-05-01T25:00:00Z",
        "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00+0200", "2024-05-01T10:00:00Zjunk",
    ])
    func malformed(text: String) {
        #expect(KubeTime(rfc3339: text) == nil)
    }

    @Test("formats whole seconds and microseconds; round-trips across eras")
    func formatting() throws {
        #expect(KubeTime(secondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(KubeTime(secondsSince1970: 951_782_400).rfc3339 == "2000-02-29T00:00:00Z")
        #expect(KubeTime(secondsSince1970: 1.25, precision: .micro).rfc3339 == "1970-01-01T00:00:01.250000Z")
        var rng = SplitMix(seed: 3)
        for _ in 0..<1000 {
            let s = Double(Int64.random(in: -2_000_000_000...8_000_000_000, using: &rng))
            let t = KubeTime(secondsSince1970: s)
            #expect(KubeTime(rfc3339: t.rfc3339)?.secondsSince1970 == s)
        }
    }

    @Test("the digit-writing formatter equals the interpolated one for every era, precision and rounding")
    func formattingMatchesInterpolation() {
        var rng = SplitMix(seed: 11)
        // Years −1000…12000 (outside 0–9999 the interpolated form is used), fractions that round
        // up into the next second, and the edges of the fast path's year range.
        let edges: [Double] = [-62_167_219_200, -62_167_219_200.5, -62_167_219_201, 253_402_300_799,
                               253_402_300_799.9999996, 253_402_300_800, 0.9999996, -0.0000004, 1_733_472_000.123456]
        let random = (0..<3000).map { _ in
            Double(Int64.random(in: -93_000_000_000...317_000_000_000, using: &rng))
                + [0, 0.5, 0.999_999_6, Double.random(in: 0..<1, using: &rng)][Int.random(in: 0..<4, using: &rng)]
        }
        for s in edges + random {
            for precision in [KubeTime.Precision.seconds, .micro] {
                let t = KubeTime(secondsSince1970: s, precision: precision)
                #expect(t.rfc3339 == t.rfc3339ByInterpolation, "\(s) \(precision)")
            }
        }
        #expect(KubeTime(secondsSince1970: 951_782_400.25, precision: .micro).rfc3339 == "2000-02-29T00:00:00.250000Z")
    }

    @Test("resource paths for core, named groups, cluster scope and subresources")
    func paths() {
        let pods = ResourceDescriptor(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
        #expect(pods.collectionPath(namespace: "ns") == "/api/v1/namespaces/ns/pods")
        #expect(pods.collectionPath(namespace: nil) == "/api/v1/pods")
        #expect(pods.objectPath(namespace: "ns", name: "p", subresource: "status") == "/api/v1/namespaces/ns/pods/p/status")
        let runs = ResourceDescriptor(group: "codex-k8s.dev", version: "v1alpha1", plural: "agentruns",
                                      kind: "AgentRun", namespaced: true)
        #expect(runs.apiVersion == "codex-k8s.dev/v1alpha1")
        #expect(runs.objectPath(namespace: "c", name: "r") == "/apis/codex-k8s.dev/v1alpha1/namespaces/c/agentruns/r")
        let rns = ResourceDescriptor(group: "codex-k8s.dev", version: "v1alpha1", plural: "runnamespaces",
                                     kind: "RunNamespace", namespaced: false)
        #expect(rns.objectPath(namespace: "ignored", name: "x") == "/apis/codex-k8s.dev/v1alpha1/runnamespaces/x")
        #expect(rns.description == "runnamespaces.codex-k8s.dev")
    }

    @Test("a 410 ERROR watch event and a BOOKMARK decode without the object's required fields")
    func watchEvents() throws {
        struct Thing: Codable, Sendable { var metadata: ObjectMeta; var spec: [String: Int] }
        let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#
        let e1 = try JSONDecoderShim.decode(WatchEvent<Thing>.self, from: Array(gone.utf8))
        guard case .error(let s) = e1 else { Issue.record("expected error, got \(e1.type)"); return }
        #expect(s.code == 410 && s.reason == "Expired")
        let bookmark = #"{"type":"BOOKMARK","object":{"kind":"Thing","metadata":{"resourceVersion":"12","annotations":{"k8s.io/initial-events-end":"true"}}}}"#
        let e2 = try JSONDecoderShim.decode(WatchEvent<Thing>.self, from: Array(bookmark.utf8))
        guard case .bookmark(let m) = e2 else { Issue.record("expected bookmark"); return }
        #expect(m.resourceVersion == "12")
        let added = #"{"type":"ADDED","object":{"metadata":{"name":"a","creationTimestamp":"2024-05-01T10:00:00Z"},"spec":{"n":1}}}"#
        let e3 = try JSONDecoderShim.decode(WatchEvent<Thing>.self, from: Array(added.utf8))
        guard case .added(let t) = e3 else { Issue.record("expected added"); return }
        #expect(t.metadata.name == "a" && t.spec["n"] == 1)
        #expect(throws: DecodingError.self) {
            try JSONDecoderShim.decode(WatchEvent<Thing>.self, from: Array(#"{"type":"NOPE","object":{}}"#.utf8))
        }
    }

    @Test("a list with null items decodes empty; ObjectMeta round-trips")
    func listAndMeta() throws {
        let list = try JSONDecoderShim.decode(KubeList<JSONValue>.self,
                                              from: Array(#"{"metadata":{"resourceVersion":"9","continue":"abc"},"items":null}"#.utf8))
        #expect(list.items.isEmpty && list.metadata.resourceVersion == "9" && list.metadata.continue == "abc")
        var meta = ObjectMeta(name: "n", namespace: "ns", labels: ["a": "b"], finalizers: ["codex-k8s.dev/cleanup"])
        meta.creationTimestamp = KubeTime(rfc3339: "2024-05-01T10:00:00Z")
        meta.generation = 2
        let json = try JSONDecoderShim.encode(meta)
        #expect(json["creationTimestamp"] == "2024-05-01T10:00:00Z")
        #expect(json["generation"] == .int(2))
        #expect(try JSONDecoderShim.decode(ObjectMeta.self, from: json.serialized()) == meta)
    }
}
