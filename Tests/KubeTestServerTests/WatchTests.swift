import KubeAPI
import KubeTestServer
import Testing

/// Watch semantics over a real chunked HTTP stream.
struct WatchTests {
    static let cms = "/api/v1/namespaces/default/configmaps"

    static func name(_ e: JSONValue) -> String? { e[path: ["object", "metadata", "name"]]?.stringValue }

    @Test func resourceVersionZeroSendsCurrentObjectsThenLiveEvents() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "before"]])
        let w = try f.http()
        let (status, headers) = try w.send("GET", Self.cms + "?watch=true&resourceVersion=0")
        #expect(status == 200)
        #expect(headers["transfer-encoding"] == "chunked")
        let first = try w.nextEvent(where: { _ in true })
        #expect(first["type"] == "ADDED" && Self.name(first) == "before")
        let rootCA = try w.nextEvent(where: { _ in true })
        #expect(rootCA["type"] == "ADDED" && Self.name(rootCA) == "kube-root-ca.crt", "in every namespace, as real")
        let updated = try c.request("POST", Self.cms, body: ["metadata": ["name": "after"]])
        let second = try w.nextEvent(where: { _ in true })
        #expect(second["type"] == "ADDED" && Self.name(second) == "after")
        #expect(second[path: ["object", "metadata", "resourceVersion"]] == updated.json[path: ["metadata", "resourceVersion"]])
        _ = try c.request("DELETE", Self.cms + "/after")
        let third = try w.nextEvent(where: { _ in true })
        #expect(third["type"] == "DELETED" && Self.name(third) == "after")
        try await f.close()
    }

    @Test func replayFromResourceVersionAndExpiredAfterCompaction() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let a = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]]).json
        let rv = a[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "b"]])
        _ = try c.request("PATCH", Self.cms + "/a", body: ["data": ["x": "1"]],
                          headers: ["Content-Type": "application/merge-patch+json"])
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=1&resourceVersion=\(rv)")
        let e1 = try w.nextEvent(where: { _ in true })
        let e2 = try w.nextEvent(where: { _ in true })
        #expect(e1["type"] == "ADDED" && Self.name(e1) == "b")
        #expect(e2["type"] == "MODIFIED" && Self.name(e2) == "a")
        f.server.store.compactHistory()
        let old = try f.http()
        let (status, _) = try old.send("GET", Self.cms + "?watch=1&resourceVersion=\(rv)")
        #expect(status == 200)
        let err = try old.nextEvent(where: { _ in true })
        #expect(err["type"] == "ERROR")
        #expect(err[path: ["object", "code"]] == 410)
        #expect(err[path: ["object", "reason"]] == "Expired")
        #expect(try old.nextEvent() == nil, "the stream ends after the ERROR event")
        try await f.close()
    }

    @Test func selectorTransitionsAreAddedAndDeletedForThatWatcher() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "m", "labels": ["tier": "gold"]]])
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&labelSelector=tier%3Dgold")
        #expect(try w.nextEvent(where: { _ in true })["type"] == "ADDED")
        let merge = ["Content-Type": "application/merge-patch+json"]
        _ = try c.request("PATCH", Self.cms + "/m", body: ["metadata": ["labels": ["tier": "silver"]]], headers: merge)
        let out = try w.nextEvent(where: { _ in true })
        #expect(out["type"] == "DELETED")
        #expect(out[path: ["object", "metadata", "labels", "tier"]] == "gold", "DELETED carries the last matching state")
        _ = try c.request("PATCH", Self.cms + "/m", body: ["data": ["x": "y"]], headers: merge)
        _ = try c.request("PATCH", Self.cms + "/m", body: ["metadata": ["labels": ["tier": "gold"]]], headers: merge)
        let back = try w.nextEvent(where: { _ in true })
        #expect(back["type"] == "ADDED", "the unselected MODIFIED was not sent; re-entering is ADDED")
        try await f.close()
    }

    @Test func namespaceScopedWatchSeesOnlyItsNamespace() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "other"]])
        let w = try f.http()
        _ = try w.send("GET", "/api/v1/namespaces/other/configmaps?watch=true")
        #expect(Self.name(try w.nextEvent(where: { _ in true })) == "kube-root-ca.crt", "the initial ADDED of the publisher's")
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "in-default"]])
        _ = try c.request("POST", "/api/v1/namespaces/other/configmaps", body: ["metadata": ["name": "in-other"]])
        let e = try w.nextEvent(where: { _ in true })
        #expect(Self.name(e) == "in-other")
        try await f.close()
    }

    @Test func bookmarksOnDemandAndTimeoutEndsTheStream() async throws {
        let f = try await Fixture.start()
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(f.server.store.currentResourceVersion)")
        let plain = try f.http()
        _ = try plain.send("GET", Self.cms + "?watch=true&timeoutSeconds=1&resourceVersion=\(f.server.store.currentResourceVersion)")
        f.server.store.sendBookmarks()
        let b = try w.nextEvent(where: { _ in true })
        #expect(b["type"] == "BOOKMARK")
        #expect(b[path: ["object", "metadata", "resourceVersion"]] == .string(String(f.server.store.currentResourceVersion)))
        #expect(try plain.nextEvent() == nil, "timeoutSeconds ends the stream without a bookmark")
        try await f.close()
    }

    @Test func cutWatchesEndsStreamsAndClientsCanResume() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let rv = f.server.store.currentResourceVersion
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&resourceVersion=\(rv)")
        f.server.store.cutWatches()
        #expect(try w.nextEvent() == nil)
        // Like the apiserver, the end of a watch response leaves the keep-alive connection usable.
        #expect(try w.request("GET", Self.cms).status == 200)
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "during"]])
        let again = try f.http()
        _ = try again.send("GET", Self.cms + "?watch=true&resourceVersion=\(rv)")
        #expect(Self.name(try again.nextEvent(where: { _ in true })) == "during")
        try await f.close()
    }

    @Test func periodicBookmarksAndInitialEventsEnd() async throws {
        var options = ServerOptions()
        options.bookmarkInterval = 0.05
        let f = try await Fixture.start(options: options)
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "x"]])
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
        let added = try w.nextEvent(where: { _ in true })
        #expect(added["type"] == "ADDED" && Self.name(added) == "kube-root-ca.crt")
        let x = try w.nextEvent(where: { _ in true })
        #expect(x["type"] == "ADDED" && Self.name(x) == "x")
        let end = try w.nextEvent(where: { _ in true })
        #expect(end["type"] == "BOOKMARK")
        #expect(end[path: ["object", "metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
        let periodic = try w.nextEvent(where: { _ in true })
        #expect(periodic["type"] == "BOOKMARK", "sent by the timer, not on demand")
        #expect(periodic[path: ["object", "metadata", "annotations"]] == nil)
        try await f.close()
    }

    @Test func tableWatchForKubectl() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&resourceVersion=\(f.server.store.currentResourceVersion)",
                       headers: ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"])
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "t"], "data": ["a": "1", "b": "2"]])
        let e = try w.nextEvent(where: { _ in true })
        #expect(e[path: ["object", "kind"]] == "Table")
        let row = e[path: ["object", "rows"]]?.arrayValue?.first
        #expect(row?["cells"]?.arrayValue?.prefix(2) == ["t", 2])
        #expect(row?[path: ["object", "kind"]] == "PartialObjectMetadata")
        try await f.close()
    }
}
