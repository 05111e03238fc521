import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: list selectors and pagination, watch semantics — via KubeClient.
@Suite(.serialized) struct ListWatchConformanceTests {
    typealias T = ConformanceTarget

    static func names(_ list: JSONValue) -> [String] {
        (list["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    @Test func selectorsAndPagination() async throws {
        let t = try await T.start()
        let c = t.client
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("a", labels: ["env": "prod"]))
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("b", labels: ["env": "dev", "tier": "web"]))
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("c"))
        let cases: [(String, [String])] = [("env=prod", ["a"]), ("env!=prod", ["b", "c"]), ("env in (prod,dev)", ["a", "b"]),
                                           ("env notin (prod)", ["b", "c"]), ("env", ["a", "b"]), ("!env", ["c"])]
        for (selector, expected) in cases {
            let l = try await c.list(T.configMaps, namespace: t.namespace, options: ListOptions(labelSelector: selector))
            #expect(Self.names(l).filter { $0 != "kube-root-ca.crt" } == expected, "\(selector)")
        }
        let byName = try await c.list(T.configMaps, namespace: t.namespace, options: ListOptions(fieldSelector: "metadata.name=b"))
        #expect(Self.names(byName) == ["b"])
        let page = try await c.list(T.configMaps, namespace: t.namespace, options: ListOptions(labelSelector: "env", limit: 1))
        #expect(Self.names(page) == ["a"])
        #expect(page[path: ["metadata", "continue"]]?.stringValue?.isEmpty == false)
        #expect(T.rv(["metadata": page["metadata"] ?? .null]) > 0)
        let all = try await c.listAll(T.configMaps, namespace: t.namespace, options: ListOptions(labelSelector: "env"), pageSize: 1)
        #expect(all.items.count == 2)
        try await t.close()
    }

    @Test func watchFromVersionAndSelectorTransitions() async throws {
        let t = try await T.start()
        let c = t.client
        let first = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("w1", labels: ["sel": "yes"]))
        let opts = WatchOptions(labelSelector: "sel=yes", resourceVersion: first[path: ["metadata", "resourceVersion"]]?.stringValue,
                                allowWatchBookmarks: false, timeoutSeconds: 30)
        var events = c.watch(T.configMaps, namespace: t.namespace, options: opts).makeAsyncIterator()
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("w2", labels: ["sel": "yes"]))
        _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "w1", .merge(["metadata": ["labels": ["sel": "no"]]]))
        _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "w1", .merge(["metadata": ["labels": ["sel": "yes"]]]))
        _ = try await c.delete(T.configMaps, namespace: t.namespace, name: "w2")
        var seen: [String] = []
        while seen.count < 4, let e = try await events.next() {
            switch e {
            case .added(let o): seen.append("ADDED \(o[path: ["metadata", "name"]]?.stringValue ?? "")")
            case .modified(let o): seen.append("MODIFIED \(o[path: ["metadata", "name"]]?.stringValue ?? "")")
            case .deleted(let o): seen.append("DELETED \(o[path: ["metadata", "name"]]?.stringValue ?? "")")
            default: break
            }
        }
        #expect(seen == ["ADDED w2", "DELETED w1", "ADDED w1", "DELETED w2"])
        try await t.close()
    }

    @Test func watchWithoutVersionListsCurrentObjectsAndOldVersionsExpire() async throws {
        let t = try await T.start()
        let c = t.client
        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("now", labels: ["k": "v"]))
        var events = c.watch(T.configMaps, namespace: t.namespace,
                             options: WatchOptions(labelSelector: "k=v", allowWatchBookmarks: false, timeoutSeconds: 30)).makeAsyncIterator()
        guard case .added(let o)? = try await events.next() else {
            Issue.record("expected a synthetic ADDED")
            try await t.close()
            return
        }
        #expect(o[path: ["metadata", "name"]] == "now")
        t.server?.store.compactHistory()
        var old = c.watch(T.configMaps, namespace: t.namespace,
                          options: WatchOptions(resourceVersion: "1", allowWatchBookmarks: false, timeoutSeconds: 30)).makeAsyncIterator()
        let expired = await T.error { _ = try await old.next() }
        #expect(expired?.isGone == true)
        try await t.close()
    }
}
