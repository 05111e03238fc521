import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: object metadata, optimistic concurrency, generation, status subresource,
/// schema validation — via KubeClient, unchanged against a real cluster.
@Suite(.serialized) struct ObjectConformanceTests {
    typealias T = ConformanceTarget

    @Test func metadataResourceVersionsAndConflicts() async throws {
        let t = try await T.start()
        let c = t.client
        let a = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("a"))
        let b = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("b"))
        #expect(a[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
        #expect(a[path: ["metadata", "creationTimestamp"]] != nil)
        #expect(T.rv(b) > T.rv(a))
        let dup = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("a")) }
        #expect(dup?.isAlreadyExists == true)
        var changed = a
        changed["data"] = ["k": "v"]
        let updated = try await c.replace(T.configMaps, namespace: t.namespace, name: "a", changed)
        #expect(T.rv(updated) > T.rv(b))
        let stale = await T.error { _ = try await c.replace(T.configMaps, namespace: t.namespace, name: "a", changed) }
        #expect(stale?.isConflict == true)
        var generated = t.configMap("")
        generated.set(path: ["metadata", "name"], to: nil)
        generated.set(path: ["metadata", "generateName"], to: "gen-")
        let g = try await c.create(T.configMaps, namespace: t.namespace, generated)
        #expect(g[path: ["metadata", "name"]]?.stringValue?.hasPrefix("gen-") == true)
        let missing = await T.error { _ = try await c.get(T.configMaps, namespace: t.namespace, name: "zzz") }
        #expect(missing?.isNotFound == true)
        var elsewhere = t.configMap("x")
        elsewhere.set(path: ["metadata", "namespace"], to: .string("no-such-\(t.suffix)"))
        let noNamespace = await T.error { _ = try await c.create(T.configMaps, namespace: "no-such-\(t.suffix)", elsewhere) }
        #expect(noNamespace?.isNotFound == true)
        let mismatch = await T.error { _ = try await c.create(T.configMaps, namespace: "no-such-\(t.suffix)", t.configMap("x")) }
        #expect(mismatch?.code == 400, "body namespace must match the URL")
        try await t.close()
    }

    @Test func generationStatusSubresourceAndValidation() async throws {
        let t = try await T.start()
        let c = t.client
        let r = try await t.installGadgetCRD()
        let created = try await c.create(r, namespace: t.namespace, t.gadget(r, "g", spec: ["size": 2, "junk": 1]))
        #expect(created[path: ["metadata", "generation"]] == 1)
        #expect(created[path: ["spec", "color"]] == "red", "default")
        #expect(created[path: ["spec", "junk"]] == nil, "pruned")
        let status = try await c.patch(r, namespace: t.namespace, name: "g", .merge(["status": ["phase": "Ready"]]), subresource: "status")
        #expect(status[path: ["status", "phase"]] == "Ready")
        #expect(status[path: ["metadata", "generation"]] == 1)
        let labelled = try await c.patch(r, namespace: t.namespace, name: "g", .merge(["metadata": ["labels": ["x": "y"]]]))
        #expect(labelled[path: ["metadata", "generation"]] == 1)
        let spec = try await c.patch(r, namespace: t.namespace, name: "g", .merge(["spec": ["size": 4], "status": ["phase": "Nope"]]))
        #expect(spec[path: ["metadata", "generation"]] == 2)
        #expect(spec[path: ["status", "phase"]] == "Ready", "the main resource ignores status")
        let invalid = await T.error { _ = try await c.create(r, namespace: t.namespace, t.gadget(r, "bad", spec: ["size": 99, "color": "pink"])) }
        guard case .invalid(_, _, _, let causes)? = invalid else {
            Issue.record("expected Invalid, got \(String(describing: invalid))")
            try await t.close()
            return
        }
        // The enum error blocks the CEL rules: a real apiserver adds a field-less cause saying so.
        #expect(Set(causes.compactMap(\.field)) == ["spec.size", "spec.color", "<nil>"])
        let cel = await T.error { _ = try await c.create(r, namespace: t.namespace, t.gadget(r, "cel", spec: ["size": 7, "color": "blue"])) }
        #expect(cel?.code == 422)
        try await t.close()
    }

    @Test func patchFlavours() async throws {
        let t = try await T.start()
        let c = t.client
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("p", data: ["a": "1"]))
        let json = try await c.patch(T.configMaps, namespace: t.namespace, name: "p",
                                     .json([.test(path: "/data/a", value: "1"), .add(path: "/data/b", value: "2")]))
        #expect(json["data"] == ["a": "1", "b": "2"])
        let failed = await T.error {
            _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "p", .json([.test(path: "/data/a", value: "9")]))
        }
        #expect(failed?.code == 422)
        let smp = try await c.patch(T.configMaps, namespace: t.namespace, name: "p", .strategicMerge(["data": ["c": "3"]]))
        #expect(smp["data"] == ["a": "1", "b": "2", "c": "3"])
        let applied = try await c.patch(T.configMaps, namespace: t.namespace, name: "ssa",
                                        .apply(t.configMap("ssa", data: ["x": "1"]), fieldManager: "alice"))
        #expect(applied["data"] == ["x": "1"])
        let conflict = await T.error {
            _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "ssa", .apply(t.configMap("ssa", data: ["x": "2"]), fieldManager: "bob"))
        }
        #expect(conflict?.isConflict == true)
        let forced = try await c.patch(T.configMaps, namespace: t.namespace, name: "ssa",
                                       .apply(t.configMap("ssa", data: ["x": "2"]), fieldManager: "bob", force: true))
        #expect(forced["data"] == ["x": "2"])
        try await t.close()
    }
}
