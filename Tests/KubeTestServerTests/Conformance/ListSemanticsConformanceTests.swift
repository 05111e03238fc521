import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: list semantics of a real kube-apiserver 1.35 (FINDINGS A10, A12): exact and
/// not-older-than resourceVersions, option validation, pagination metadata, bare list items,
/// continue-token errors.
@Suite(.serialized) struct ListSemanticsConformanceTests {
    typealias T = ConformanceTarget

    @Test func exactResourceVersionListsThePastAndFutureVersionsTimeOut() async throws {
        let t = try await T.start()
        // Labelled: a real namespace also holds the root-CA publisher's ConfigMap, created at its own pace.
        var first = t.configMap("a", labels: ["set": "exact"])
        first["data"] = ["v": "1"]
        let a = try await t.client.create(T.configMaps, namespace: t.namespace, first)
        let rvA = a[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("b", labels: ["set": "exact"]))
        _ = try await t.client.patch(T.configMaps, namespace: t.namespace, name: "a", .merge(["data": ["v": "2"]]))
        let exact = try await t.raw("GET", t.configMapsPath + "?resourceVersion=\(rvA)&resourceVersionMatch=Exact&labelSelector=set%3Dexact")
        #expect(exact.status == 200)
        let items = exact.json["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["a"])
        #expect(items.first?["data"] == ["v": "1"])
        #expect(exact.json[path: ["metadata", "resourceVersion"]] == .string(rvA))
        #expect(items.first?["kind"] == nil && items.first?["apiVersion"] == nil, "built-in list items are bare")
        #expect(exact.json["kind"] == "ConfigMapList")

        let now = try await t.client.list(T.configMaps, namespace: t.namespace)
        let future = (Int64(now[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0) + 1_000_000
        let late = try await t.raw("GET", t.configMapsPath + "?resourceVersion=\(future)&resourceVersionMatch=NotOlderThan")
        #expect(late.status == 504)
        #expect(late.reason == "Timeout")
        #expect(late.message?.hasPrefix("Timeout: Too large resource version: \(future), current: ") == true)
        #expect(late.json[path: ["details", "causes"]]?.arrayValue?.first?["reason"] == "ResourceVersionTooLarge")
        try await t.close()
    }

    @Test func listAndWatchOptionsAreValidated() async throws {
        let t = try await T.start()
        let p = t.configMapsPath
        let noRV = try await t.raw("GET", p + "?resourceVersionMatch=NotOlderThan")
        #expect(noRV.status == 422)
        #expect(noRV.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
        let watchMatch = try await t.raw("GET", p + "?watch=true&resourceVersion=0&resourceVersionMatch=NotOlderThan")
        #expect(watchMatch.status == 422)
        #expect(watchMatch.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
        let initial = try await t.raw("GET", p + "?watch=true&sendInitialEvents=true&allowWatchBookmarks=true")
        #expect(initial.status == 422)
        #expect(initial.message == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
        let listInitial = try await t.raw("GET", p + "?sendInitialEvents=true")
        #expect(listInitial.status == 422)
        #expect(listInitial.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "sendInitialEvents")
        try await t.close()
    }

    @Test(arguments: [
        ("a,", "found '', expected: identifier after ','"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("-a", "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        ("a=b/c", "unable to parse requirement: values[0][a]: Invalid value: \"b/c\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
    ])
    func labelSelectorErrors(selector: String, message: String) async throws {
        let t = try await T.start()
        let q = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let r = try await t.raw("GET", t.configMapsPath + "?labelSelector=\(q)")
        #expect(r.status == 400)
        #expect(r.reason == "BadRequest")
        #expect(r.message == message)
        try await t.close()
    }

    @Test func paginationMetadataAndContinueTokens() async throws {
        let t = try await T.start()
        for i in 0..<4 {
            _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("p\(i)", labels: ["set": "x"]))
        }
        let plain = try await t.raw("GET", t.configMapsPath + "?limit=1")
        #expect(plain.json[path: ["metadata", "remainingItemCount"]] != nil)
        let selected = try await t.raw("GET", t.configMapsPath + "?limit=1&labelSelector=set%3Dx")
        #expect(selected.json[path: ["metadata", "continue"]] != nil)
        #expect(selected.json[path: ["metadata", "remainingItemCount"]] == nil, "no count with a selector")
        // The next page is cut from the first page's snapshot: an object created meanwhile is not in it.
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("p9", labels: ["set": "x"]))
        var names = selected.json["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
        var token = selected.json[path: ["metadata", "continue"]]?.stringValue
        while let next = token {
            let page = try await t.raw("GET", t.configMapsPath + "?limit=2&labelSelector=set%3Dx&continue=\(next)")
            #expect(page.status == 200)
            names += page.json["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            token = page.json[path: ["metadata", "continue"]]?.stringValue
        }
        #expect(names == ["p0", "p1", "p2", "p3"])
        let bad = try await t.raw("GET", t.configMapsPath + "?limit=1&continue=not%21valid")
        #expect(bad.status == 400)
        #expect(bad.message == "invalid continue token: continue key is not valid: illegal base64 data at input byte 3")
        try await t.close()
    }
}
