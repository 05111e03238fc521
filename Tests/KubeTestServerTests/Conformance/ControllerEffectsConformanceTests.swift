import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: side effects of the apiserver's strategies and kube-controller-manager a real
/// cluster shows (FINDINGS A6, C): namespace label and `kube-root-ca.crt`, garbage collection of
/// dependents whose owner never existed, DELETED events carrying the last stored finalizers.
@Suite(.serialized) struct ControllerEffectsConformanceTests {
    typealias T = ConformanceTarget

    /// Waits (on a watch, no polling) for the object `name` in `namespace` to satisfy `done`.
    static func waitFor(_ t: T, _ r: ResourceDescriptor, namespace: String?, name: String,
                        _ done: (WatchEvent<JSONValue>) -> Bool) async throws -> Bool {
        var events = t.client.watch(r, namespace: namespace, options: WatchOptions(fieldSelector: "metadata.name=\(name)",
                                                                                 allowWatchBookmarks: false,
                                                                                 timeoutSeconds: 60)).makeAsyncIterator()
        while let e = try await events.next() {
            if done(e) { return true }
        }
        return false
    }

    @Test func newNamespacesGetTheirNameLabelAndTheRootCAConfigMap() async throws {
        let t = try await T.start()
        let ns = try await t.client.get(T.namespaces, name: t.namespace)
        #expect(ns[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] == .string(t.namespace))
        let relabelled = try await t.client.patch(T.namespaces, name: t.namespace,
                                                  .merge(["metadata": ["labels": ["kubernetes.io/metadata.name": "other", "x": "y"]]]))
        #expect(relabelled[path: ["metadata", "labels"]] == ["kubernetes.io/metadata.name": .string(t.namespace), "x": "y"])
        let published = try await Self.waitFor(t, T.configMaps, namespace: t.namespace, name: "kube-root-ca.crt") { e in
            if case .added(let o) = e { return o[path: ["data", "ca.crt"]]?.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") == true }
            return false
        }
        #expect(published)
        try await t.close()
    }

    @Test func dependentsOfAnOwnerThatNeverExistedAreCollected() async throws {
        let t = try await T.start()
        var orphan = t.configMap("orphan")
        orphan.set(path: ["metadata", "ownerReferences"], to: [["apiVersion": "v1", "kind": "ConfigMap", "name": "ghost",
                                                               "uid": "00000000-0000-0000-0000-000000000000"]])
        let created = try await t.client.create(T.configMaps, namespace: t.namespace, orphan)
        let rv = created[path: ["metadata", "resourceVersion"]]?.stringValue
        var events = t.client.watch(T.configMaps, namespace: t.namespace,
                                    options: WatchOptions(fieldSelector: "metadata.name=orphan", resourceVersion: rv,
                                                          allowWatchBookmarks: false, timeoutSeconds: 60)).makeAsyncIterator()
        var collected = false
        while let e = try await events.next() {
            if case .deleted = e { collected = true; break }
        }
        #expect(collected, "the garbage collector deletes it (a real one within seconds)")
        try await t.close()
    }

    @Test func deletedAfterTheLastFinalizerCarriesTheLastStoredFinalizers() async throws {
        let t = try await T.start()
        var held = t.configMap("held")
        held.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, held)
        _ = try await t.client.delete(T.configMaps, namespace: t.namespace, name: "held")
        let marked = try await t.client.get(T.configMaps, namespace: t.namespace, name: "held")
        var events = t.client.watch(T.configMaps, namespace: t.namespace,
                                    options: WatchOptions(fieldSelector: "metadata.name=held",
                                                          resourceVersion: marked[path: ["metadata", "resourceVersion"]]?.stringValue,
                                                          allowWatchBookmarks: false, timeoutSeconds: 60)).makeAsyncIterator()
        let answer = try await t.client.patch(T.configMaps, namespace: t.namespace, name: "held",
                                              .merge(["metadata": ["finalizers": .null]]))
        #expect(answer[path: ["metadata", "finalizers"]] == ["conformance.codex-k8s.dev/hold"])
        var last: JSONValue?
        while let e = try await events.next() {
            if case .deleted(let o) = e { last = o; break }
        }
        #expect(last?[path: ["metadata", "finalizers"]] == ["conformance.codex-k8s.dev/hold"])
        try await t.close()
    }
}
