import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: deletions that wait (FINDINGS B1, A11): a Namespace held by `metadata.finalizers`
/// stays Terminating until they go; a CRD whose custom resources hold finalizers is Terminating
/// (condition), refuses new custom resources with 403, and goes once the last finalizer is removed.
@Suite(.serialized) struct TerminationConformanceTests {
    typealias T = ConformanceTarget

    @Test func namespaceHeldByMetadataFinalizersStaysTerminatingUntilTheyGo() async throws {
        let t = try await T.start()
        let c = t.client
        let ns = "held-\(t.suffix)"
        _ = try await c.create(T.namespaces, ["apiVersion": "v1", "kind": "Namespace",
                                              "metadata": ["name": .string(ns), "finalizers": ["conformance.codex-k8s.dev/hold"]]])
        _ = try await c.delete(T.namespaces, name: ns)
        let terminating = try await c.get(T.namespaces, name: ns)
        #expect(terminating[path: ["status", "phase"]] == "Terminating")
        // The server keeps answering (it used to spin here) and the namespace stays.
        _ = try await c.list(T.configMaps, namespace: t.namespace)
        #expect(try await c.get(T.namespaces, name: ns)[path: ["metadata", "finalizers"]] == ["conformance.codex-k8s.dev/hold"])
        let since = terminating[path: ["metadata", "resourceVersion"]]?.stringValue
        var watch = c.watch(T.namespaces, options: WatchOptions(fieldSelector: "metadata.name=\(ns)", resourceVersion: since,
                                                                allowWatchBookmarks: false, timeoutSeconds: 120)).makeAsyncIterator()
        _ = try await c.patch(T.namespaces, name: ns, .merge(["metadata": ["finalizers": .null]]))
        var deleted = false
        while let e = try await watch.next() {
            if case .deleted = e { deleted = true; break }
        }
        #expect(deleted)
        try await t.close()
    }

    @Test func crdWaitsForItsCustomResourcesFinalizers() async throws {
        let t = try await T.start()
        let c = t.client
        let r = try await t.installGadgetCRD()
        let crdName = "\(r.plural).\(r.group)"
        var held = t.gadget(r, "held")
        held.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await c.create(r, namespace: t.namespace, held)
        _ = try await c.delete(T.crds, name: crdName)
        // The CR is marked for deletion (by the CRD finalizer controller) and the CRD says why it stays.
        let since = try await c.get(T.crds, name: crdName)[path: ["metadata", "resourceVersion"]]?.stringValue
        var crdWatch = c.watch(T.crds, options: WatchOptions(fieldSelector: "metadata.name=\(crdName)", resourceVersion: since,
                                                             allowWatchBookmarks: false, timeoutSeconds: 120)).makeAsyncIterator()
        let crd = try await c.get(T.crds, name: crdName)
        let terminating = (crd[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Terminating" }
        #expect(terminating?["status"] == "True")
        let refused = await T.error { _ = try await c.create(r, namespace: t.namespace, t.gadget(r, "late")) }
        #expect(refused?.code == 403)
        if case .forbidden(_, _, let message)? = refused {
            #expect(message == "\(crdName) \"late\" is forbidden: create not allowed while custom resource definition is terminating")
        } else {
            Issue.record("expected Forbidden, got \(String(describing: refused))")
        }
        // Wait until the finalizer controller has marked the CR (a watch from "now" starts with its state).
        var crWatch = c.watch(r, namespace: t.namespace, options: WatchOptions(fieldSelector: "metadata.name=held",
                                                                               timeoutSeconds: 120)).makeAsyncIterator()
        var marked = false
        while !marked, let e = try await crWatch.next() {
            switch e {
            case .added(let o), .modified(let o): marked = o[path: ["metadata", "deletionTimestamp"]] != nil
            default: break
            }
        }
        #expect(marked)
        _ = try await c.patch(r, namespace: t.namespace, name: "held", .merge(["metadata": ["finalizers": .null]]))
        var crdDeleted = false
        while let e = try await crdWatch.next() {
            if case .deleted = e { crdDeleted = true; break }
        }
        #expect(crdDeleted)
        try await t.close()
    }
}
