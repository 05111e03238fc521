import KubeAPI
import KubeTestServer
import Testing

/// List semantics: selectors, pagination, ListMeta.
struct ListTests {
    static let cms = "/api/v1/namespaces/default/configmaps"

    static func names(_ r: RawHTTP.Response) -> [String] {
        (r.json["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    @Test(arguments: [
        // Every namespace also holds the root-CA publisher's unlabelled `kube-root-ca.crt`, as on a real cluster.
        ("env=prod", ["a"]), ("env==prod", ["a"]), ("env!=prod", ["b", "c", "kube-root-ca.crt"]),
        ("env in (prod,dev)", ["a", "b"]), ("env notin (prod)", ["b", "c", "kube-root-ca.crt"]), ("env", ["a", "b"]),
        ("!env", ["c", "kube-root-ca.crt"]), ("env=dev,tier=web", ["b"]),
    ])
    func labelSelectors(selector: String, expected: [String]) async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "a", "labels": ["env": "prod"]]])
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "b", "labels": ["env": "dev", "tier": "web"]]])
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "c"]])
        let q = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let r = try c.request("GET", Self.cms + "?labelSelector=\(q)")
        #expect(r.status == 200)
        #expect(Self.names(r) == expected)
        try await f.close()
    }

    @Test func fieldSelectorsAndUnsupportedFields() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "x"]])
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]])
        _ = try c.request("POST", "/api/v1/namespaces/x/configmaps", body: ["metadata": ["name": "a"]])
        let byName = try c.request("GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Da")
        #expect(Self.names(byName) == ["a", "a"])
        let byNS = try c.request("GET", "/api/v1/configmaps?fieldSelector=metadata.namespace%3Dx")
        #expect(byNS.json["items"]?.arrayValue?.first?[path: ["metadata", "namespace"]] == "x")
        #expect(Self.names(byNS) == ["a", "kube-root-ca.crt"])
        let notDefault = try c.request("GET", "/api/v1/configmaps?fieldSelector=metadata.namespace!%3Ddefault,metadata.name%3Da")
        #expect(notDefault.json["items"]?.arrayValue?.count == 1)
        let bad = try c.request("GET", "/api/v1/configmaps?fieldSelector=data.k%3Dv")
        #expect(bad.status == 400)
        #expect(bad.json["message"] == "field label not supported: data.k")
        try await f.close()
    }

    @Test func podPhaseFieldSelector() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let pods = "/api/v1/namespaces/default/pods"
        _ = try c.request("POST", pods, body: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "i"]]]])
        #expect(Self.names(try c.request("GET", pods + "?fieldSelector=status.phase%3DPending")) == ["p"])
        #expect(Self.names(try c.request("GET", pods + "?fieldSelector=status.phase%3DRunning")) == [])
        try await f.close()
    }

    @Test func limitAndContinuePageThroughInKeyOrder() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        for n in ["e", "a", "d", "b", "c"] { _ = try c.request("POST", Self.cms, body: ["metadata": ["name": .string(n)]]) }
        let p1 = try c.request("GET", Self.cms + "?limit=2")
        #expect(Self.names(p1) == ["a", "b"])
        #expect(p1.json[path: ["metadata", "remainingItemCount"]] == 4, "c, d, e and kube-root-ca.crt")
        #expect(p1.json[path: ["metadata", "resourceVersion"]] == .string(String(f.server.store.currentResourceVersion)))
        let token = p1.json[path: ["metadata", "continue"]]?.stringValue ?? ""
        let enc = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let p2 = try c.request("GET", Self.cms + "?limit=2&continue=\(enc)")
        #expect(Self.names(p2) == ["c", "d"])
        let t2 = p2.json[path: ["metadata", "continue"]]?.stringValue?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let p3 = try c.request("GET", Self.cms + "?limit=2&continue=\(t2)")
        #expect(Self.names(p3) == ["e", "kube-root-ca.crt"])
        #expect(p3.json[path: ["metadata", "continue"]] == nil)
        #expect(p3.json["kind"] == "ConfigMapList")
        try await f.close()
    }

    /// After a compaction a continue token is 410, and the Status offers a token that continues at
    /// the latest state (rv -1), as `handleCompactedErrorForPaging` does.
    @Test func compactedContinueTokenOffersOneForTheLatestState() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        for n in ["a", "b", "c"] { _ = try c.request("POST", Self.cms, body: ["metadata": ["name": .string(n)]]) }
        let p1 = try c.request("GET", Self.cms + "?limit=1")
        let token = p1.json[path: ["metadata", "continue"]]?.stringValue ?? ""
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "d"]])
        f.server.store.compactHistory()
        let expired = try c.request("GET", Self.cms + "?limit=10&continue=\(token)")
        #expect(expired.status == 410)
        #expect(expired.json["reason"] == "Expired")
        let latest = expired.json[path: ["metadata", "continue"]]?.stringValue ?? ""
        #expect(!latest.isEmpty)
        let rest = try c.request("GET", Self.cms + "?limit=10&continue=\(latest)")
        #expect(rest.status == 200)
        #expect(Self.names(rest) == ["b", "c", "d", "kube-root-ca.crt"])
        try await f.close()
    }
}
