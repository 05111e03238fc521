import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance (in memory and, with CODEX_K8S_TEST_KUBECONFIG, against a real cluster): a watch's
/// `timeoutSeconds` ends the stream normally, a namespaced watch sees only its namespace, and a
/// JSON patch whose `test` fails changes nothing — via KubeClient.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WatchScopeConformanceTests {
    typealias T = ConformanceTarget

    @Test func timeoutSecondsEndsTheWatchNormally() async throws {
        let t = try await T.start()
        let list = try await t.client.list(T.configMaps, namespace: t.namespace)
        let rv = list[path: ["metadata", "resourceVersion"]]?.stringValue
        let events = t.client.watch(T.configMaps, namespace: t.namespace,
                                    options: WatchOptions(resourceVersion: rv, timeoutSeconds: 1))
        var count = 0
        // Ends without throwing once the server's timeout passes. On a real cluster the root-CA
        // publisher may add `kube-root-ca.crt` to the new namespace after the list: not a change of ours.
        for try await e in events {
            if case .added(let o) = e, o[path: ["metadata", "name"]] == "kube-root-ca.crt" { continue }
            count += 1
        }
        #expect(count == 0, "nothing changed, so nothing but the end of the stream")
        try await t.close()
    }

    @Test func aNamespacedWatchSeesOnlyItsNamespace() async throws {
        let t = try await T.start()
        let other = "\(t.namespace)-other"
        _ = try await t.client.create(T.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(other)]])
        let list = try await t.client.list(T.configMaps, namespace: t.namespace)
        var events = t.client.watch(T.configMaps, namespace: t.namespace,
                                    options: WatchOptions(resourceVersion: list[path: ["metadata", "resourceVersion"]]?.stringValue,
                                                          timeoutSeconds: 30)).makeAsyncIterator()
        var elsewhere = t.configMap("elsewhere")
        elsewhere.set(path: ["metadata", "namespace"], to: .string(other))
        _ = try await t.client.create(T.configMaps, namespace: other, elsewhere)
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("here"))
        // The other namespace's object was written first: seeing "here" first proves it was filtered.
        var first: String?
        while first == nil, let e = try await events.next() {
            // (`kube-root-ca.crt` of this namespace may be published after the list on a real cluster.)
            if case .added(let o) = e, o[path: ["metadata", "name"]] != "kube-root-ca.crt" {
                first = o[path: ["metadata", "name"]]?.stringValue
            }
        }
        #expect(first == "here")
        _ = try? await t.client.delete(T.namespaces, name: other)
        try await t.close()
    }

    @Test func aJSONPatchWithAFailingTestChangesNothing() async throws {
        let t = try await T.start()
        let created = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("p", data: ["a": "1", "b": "2"]))
        let patch: [JSONPatchOperation] = [.replace(path: "/data/a", value: "changed"), .test(path: "/data/b", value: "not-2")]
        await #expect(throws: KubeError.self) {
            _ = try await t.client.patch(T.configMaps, namespace: t.namespace, name: "p", .json(patch))
        }
        let after = try await t.client.get(T.configMaps, namespace: t.namespace, name: "p")
        #expect(after["data"] == ["a": "1", "b": "2"], "the earlier operation was not applied")
        #expect(T.rv(after) == T.rv(created), "no write happened")
        try await t.close()
    }
}
