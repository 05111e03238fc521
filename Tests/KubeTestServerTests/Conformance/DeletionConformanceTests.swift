import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: delete preconditions, finalizers, garbage collection, namespace termination.
@Suite(.serialized) struct DeletionConformanceTests {
    typealias T = ConformanceTarget

    @Test func finalizersPreconditionsAndGarbageCollection() async throws {
        let t = try await T.start()
        let c = t.client
        var held = t.configMap("held")
        held.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        let h = try await c.create(T.configMaps, namespace: t.namespace, held)
        let wrong = await T.error { try await c.delete(T.configMaps, namespace: t.namespace, name: "held", options: DeleteOptions(preconditionUID: "x")) }
        #expect(wrong?.isConflict == true)
        try await c.delete(T.configMaps, namespace: t.namespace, name: "held",
                           options: DeleteOptions(preconditionUID: h[path: ["metadata", "uid"]]?.stringValue))
        let marked = try await c.get(T.configMaps, namespace: t.namespace, name: "held")
        #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
        _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "held", .merge(["metadata": ["finalizers": .null]]))
        let gone = await T.error { _ = try await c.get(T.configMaps, namespace: t.namespace, name: "held") }
        #expect(gone?.isNotFound == true)

        let owner = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("owner"))
        var child = t.configMap("child")
        child.set(path: ["metadata", "ownerReferences"], to: [["apiVersion": "v1", "kind": "ConfigMap", "name": "owner",
                                                              "uid": owner[path: ["metadata", "uid"]] ?? .null]])
        _ = try await c.create(T.configMaps, namespace: t.namespace, child)
        let before = try await c.list(T.configMaps, namespace: t.namespace)[path: ["metadata", "resourceVersion"]]?.stringValue
        try await c.delete(T.configMaps, namespace: t.namespace, name: "owner", options: DeleteOptions(propagationPolicy: .foreground))
        // Foreground: once the owner is gone, so is the child (a real GC does this asynchronously).
        var watch = c.watch(T.configMaps, namespace: t.namespace,
                            options: WatchOptions(fieldSelector: "metadata.name=owner", resourceVersion: before,
                                                  allowWatchBookmarks: false, timeoutSeconds: 60)).makeAsyncIterator()
        while let e = try await watch.next() {
            if case .deleted = e { break }
        }
        let childGone = await T.error { _ = try await c.get(T.configMaps, namespace: t.namespace, name: "child") }
        #expect(childGone?.isNotFound == true)
        try await t.close()
    }

    @Test func terminatingNamespaceRefusesCreatesThenGoes() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = "term-\(t.suffix)"
        _ = try await c.create(T.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        var held = t.configMap("held")
        held.set(path: ["metadata", "namespace"], to: .string(ns))
        held.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await c.create(T.configMaps, namespace: ns, held)
        try await c.delete(T.namespaces, name: ns)
        let terminating = try await c.get(T.namespaces, name: ns)
        #expect(terminating[path: ["status", "phase"]] == "Terminating")
        var fresh = t.configMap("fresh")
        fresh.set(path: ["metadata", "namespace"], to: .string(ns))
        let refused = await T.error { _ = try await c.create(T.configMaps, namespace: ns, fresh) }
        #expect(refused?.code == 403)
        // Watch from the Terminating object's resourceVersion: the watch request travels on its own
        // connection, so without a version the patch below can remove the namespace before the watch
        // is registered, and a watch "from now" would then never see the DELETED.
        let since = terminating[path: ["metadata", "resourceVersion"]]?.stringValue
        #expect(since != nil)
        var watch = c.watch(T.namespaces, options: WatchOptions(fieldSelector: "metadata.name=\(ns)", resourceVersion: since,
                                                                allowWatchBookmarks: false, timeoutSeconds: 120)).makeAsyncIterator()
        _ = try await c.patch(T.configMaps, namespace: ns, name: "held", .merge(["metadata": ["finalizers": .null]]))
        var deleted = false
        while let e = try await watch.next() {
            if case .deleted = e { deleted = true; break }
        }
        #expect(deleted)
        try await t.close()
    }

    @Test func crdDiscoveryAndEstablishment() async throws {
        let t = try await T.start()
        let r = try await t.installGadgetCRD()
        let created = try await t.client.create(r, namespace: t.namespace, t.gadget(r, "g"))
        #expect(created["kind"] == "Gadget")
        #expect(created["apiVersion"] == .string(r.apiVersion))
        try await t.close()
    }
}
