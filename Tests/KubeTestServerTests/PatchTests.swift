import KubeAPI
@testable import KubeTestServer
import Testing

/// The four patch types over HTTP.
struct PatchTests {
    static let cms = "/api/v1/namespaces/default/configmaps"
    static let pods = "/api/v1/namespaces/default/pods"

    static func patch(_ c: RawHTTP, _ path: String, _ type: String, _ body: JSONValue) throws -> RawHTTP.Response {
        try c.request("PATCH", path, body: body, headers: ["Content-Type": type])
    }

    @Test func mergePatchAndStaleResourceVersionInPatch() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "m"], "data": ["a": "1", "b": "2"]])
        let r = try Self.patch(c, Self.cms + "/m", "application/merge-patch+json", ["data": ["a": .null, "c": "3"]])
        #expect(r.json["data"] == ["b": "2", "c": "3"])
        let stale = try Self.patch(c, Self.cms + "/m", "application/merge-patch+json",
                                   ["metadata": ["resourceVersion": "1"], "data": ["d": "4"]])
        #expect(stale.status == 409)
        #expect(try Self.patch(c, Self.cms + "/missing", "application/merge-patch+json", ["data": [:]]).status == 404)
        #expect(try Self.patch(c, Self.cms + "/m", "text/plain", ["data": [:]]).status == 415)
        try await f.close()
    }

    @Test func jsonPatchWithTestIsAtomic() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "j"], "data": ["a": "1"]])
        let ok = try Self.patch(c, Self.cms + "/j", "application/json-patch+json", [
            ["op": "test", "path": "/data/a", "value": "1"], ["op": "add", "path": "/data/b", "value": "2"],
            ["op": "replace", "path": "/data/a", "value": "9"], ["op": "copy", "from": "/data/b", "path": "/data/c"],
            ["op": "move", "from": "/data/c", "path": "/data/d"], ["op": "remove", "path": "/data/b"],
        ])
        #expect(ok.status == 200)
        #expect(ok.json["data"] == ["a": "9", "d": "2"])
        let failed = try Self.patch(c, Self.cms + "/j", "application/json-patch+json", [
            ["op": "add", "path": "/data/e", "value": "5"], ["op": "test", "path": "/data/a", "value": "1"],
        ])
        #expect(failed.status == 422)
        #expect(try c.request("GET", Self.cms + "/j").json["data"] == ["a": "9", "d": "2"], "nothing applied")
        try await f.close()
    }

    @Test func strategicMergeUsesMergeKeysForBuiltIns() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.pods, body: ["metadata": ["name": "p", "finalizers": ["a/b"]], "spec": ["containers": [
            ["name": "main", "image": "v1", "env": [["name": "A", "value": "1"]]], ["name": "side", "image": "s1"]]]])
        let patch: JSONValue = [
            "metadata": ["finalizers": ["c/d"]],
            "spec": ["containers": [["name": "main", "image": "v2", "env": [["name": "B", "value": "2"]]],
                                    ["name": "side", "$patch": "delete"]]]]
        let merged = StrategicMerge.apply(patch, to: try c.request("GET", Self.pods + "/p").json)
        let containers = merged[path: ["spec", "containers"]]?.arrayValue ?? []
        #expect(containers.count == 1)
        #expect(containers.first?["image"] == "v2")
        #expect(containers.first?["env"] == [["name": "A", "value": "1"], ["name": "B", "value": "2"]])
        #expect(merged[path: ["metadata", "finalizers"]] == ["a/b", "c/d"])
        let immutable = try Self.patch(c, Self.pods + "/p", "application/strategic-merge-patch+json", patch)
        #expect(immutable.status == 422, "a Pod's containers cannot change except their images")
        #expect(immutable.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec")
        let r = try Self.patch(c, Self.pods + "/p", "application/strategic-merge-patch+json", [
            "metadata": ["finalizers": ["c/d"]], "spec": ["containers": [["name": "side", "image": "s2"]]]])
        #expect(r.status == 200)
        #expect(r.json[path: ["spec", "containers"]]?.arrayValue?.map { $0["image"] } == ["v1", "s2"], "merged by name")
        #expect(r.json[path: ["metadata", "finalizers"]] == ["a/b", "c/d"])
        _ = try c.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: TestCRDs.widget)
        _ = try c.request("POST", "/apis/example.com/v1/namespaces/default/widgets", body: TestCRDs.widget("w"))
        let cr = try Self.patch(c, "/apis/example.com/v1/namespaces/default/widgets/w", "application/strategic-merge-patch+json", ["spec": ["size": 2]])
        #expect(cr.status == 415, "no strategic merge for custom resources")
        try await f.close()
    }

    @Test func serverSideApplyCreatesTracksOwnershipAndConflicts() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let apply = "application/apply-patch+yaml"
        let first = try Self.patch(c, Self.cms + "/s?fieldManager=alice", apply,
                                   ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "s"], "data": ["a": "1", "b": "2"]])
        #expect(first.status == 201)
        let managers = first.json[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        #expect(managers.first?["manager"] == "alice" && managers.first?["operation"] == "Apply")
        #expect(managers.first?[path: ["fieldsV1", "f:data", "f:a"]] == [:])
        let conflict = try Self.patch(c, Self.cms + "/s?fieldManager=bob", apply,
                                      ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "s"], "data": ["a": "9"]])
        #expect(conflict.status == 409)
        #expect(conflict.json["message"]?.stringValue?.contains("conflict with \"alice\"") == true)
        let forced = try Self.patch(c, Self.cms + "/s?fieldManager=bob&force=true", apply,
                                    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "s"], "data": ["a": "9"]])
        #expect(forced.status == 200)
        #expect(forced.json["data"] == ["a": "9", "b": "2"])
        let shrink = try Self.patch(c, Self.cms + "/s?fieldManager=alice", apply,
                                    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "s"], "data": [:]])
        #expect(shrink.json["data"] == ["a": "9"], "alice's b is removed; bob's a stays")
        let noManager = try Self.patch(c, Self.cms + "/s", apply, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "s"]])
        #expect(noManager.status == 422, "PatchOptions: fieldManager is required for apply patch")
        try await f.close()
    }
}
