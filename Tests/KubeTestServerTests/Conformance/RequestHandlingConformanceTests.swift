import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: request handling details of a real kube-apiserver 1.35 (FINDINGS B7, C): legacy
/// watch paths, pod field selectors, plain-text 404 for unknown groups, 406 for unacceptable media
/// types, `Audit-Id`, bookmarks before a watch's deadline, pod `/status` label changes, and CR
/// watches ending with their CRD.
@Suite(.serialized) struct RequestHandlingConformanceTests {
    typealias T = ConformanceTarget

    static func frames(_ r: RawAnswer) -> [JSONValue] {
        r.body.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONValue(parsing: Array($0)) }
    }

    @Test func routingNegotiationAndHeaders() async throws {
        let t = try await T.start()
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("seen"))
        let legacy = try await t.raw("GET", "/api/v1/watch/namespaces/\(t.namespace)/configmaps?timeoutSeconds=1&fieldSelector=metadata.name%3Dseen")
        #expect(legacy.status == 200)
        #expect(Self.frames(legacy).contains { $0["type"] == "ADDED" && $0[path: ["object", "metadata", "name"]] == "seen" })
        let scheduler = try await t.raw("GET", "/api/v1/namespaces/\(t.namespace)/pods?fieldSelector=spec.schedulerName%3Ddefault-scheduler")
        #expect(scheduler.status == 200)
        let unknown = try await t.raw("GET", "/apis/nope-\(t.suffix).codex-k8s.dev/v1/things")
        #expect(unknown.status == 404)
        #expect(unknown.text == "404 page not found\n")
        #expect(unknown.headers["content-type"]?.hasPrefix("text/plain") == true)
        let text = try await t.raw("GET", t.configMapsPath, accept: "text/plain")
        #expect(text.status == 406)
        #expect(text.reason == "NotAcceptable")
        #expect(text.message == "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        let plain = try await t.raw("GET", t.configMapsPath)
        #expect(plain.headers["audit-id"]?.isEmpty == false)
        try await t.close()
    }

    @Test func bookmarksBeforeTheDeadlineAndAtTheEndOfInitialEvents() async throws {
        let t = try await T.start()
        let list = try await t.client.list(T.configMaps, namespace: t.namespace)
        let rv = list[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let late = try await t.raw("GET", t.configMapsPath + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=4&resourceVersion=\(rv)")
        #expect(Self.frames(late).contains { $0["type"] == "BOOKMARK" }, "one ~2 s before the 4 s deadline")
        let initial = try await t.raw("GET", t.configMapsPath + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1")
        let end = Self.frames(initial).first { $0[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true" }
        #expect(end?["type"] == "BOOKMARK")
        #expect(end?[path: ["object", "metadata"]]?.objectValue?.keys.contains("creationTimestamp") == false)
        try await t.close()
    }

    @Test func podStatusWritesApplyLabels() async throws {
        let t = try await T.start()
        _ = try await t.client.create(T.pods, namespace: t.namespace, [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
            "spec": ["containers": [["name": "c", "image": "registry.k8s.io/pause:3.10"]]],
        ])
        let patched = try await t.client.patch(T.pods, namespace: t.namespace, name: "p",
                                               .merge(["metadata": ["labels": ["via": "status"]],
                                                       "status": ["conditions": [["type": "Codex", "status": "True"]]]]),
                                               subresource: "status")
        #expect(patched[path: ["metadata", "labels", "via"]] == "status")
        _ = try await t.client.delete(T.pods, namespace: t.namespace, name: "p", options: DeleteOptions(gracePeriodSeconds: 0))
        try await t.close()
    }

    /// The watch asks for 30 minutes: only the CRD's deletion can end it within the time limit.
    @Test(.timeLimit(.minutes(3))) func customResourceWatchesEndWithTheirCRD() async throws {
        let t = try await T.start()
        let r = try await t.installGadgetCRD()
        var events = t.client.watch(r, namespace: t.namespace, options: WatchOptions(allowWatchBookmarks: false,
                                                                                   timeoutSeconds: 1800)).makeAsyncIterator()
        _ = try await t.client.create(r, namespace: t.namespace, t.gadget(r, "g"))
        _ = try await t.client.delete(T.crds, name: "\(r.plural).\(r.group)")
        var ended = false
        do {
            while try await events.next() != nil {}
            ended = true
        } catch {
            ended = true  // an error frame or a closed connection also ends it
        }
        #expect(ended)
        try await t.close()
    }
}
