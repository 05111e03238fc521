import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// managedFields over HTTP: the default manager from the User-Agent, ownership moving to an
/// updater, associative lists of custom resources merged per key, multi-field conflicts.
struct FieldManagementTests {
    static let cm = "/api/v1/namespaces/default/configmaps"
    static let apply = ["Content-Type": "application/apply-patch+yaml"]

    @Test func theUserAgentNamesTheManagerAndUpdatesTakeFieldsOver() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let created = try http.request("POST", Self.cm, body: ["metadata": ["name": "c", "labels": ["app": "x"]], "data": ["a": "1", "b": "2"]],
                                       headers: ["User-Agent": "kubectl-create/v1.35.0 (linux/amd64) kubernetes/abc"])
        let entry = created.json[path: ["metadata", "managedFields"]]?[item: 0]
        #expect(entry?["manager"] == "kubectl-create")
        #expect(entry?["fieldsV1"] == ["f:data": [".": [:], "f:a": [:], "f:b": [:]],
                                       "f:metadata": ["f:labels": [".": [:], "f:app": [:]]]])
        let applied = try http.request("PATCH", "\(Self.cm)/c?fieldManager=alice",
                                       body: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["c": "3"]],
                                       headers: Self.apply)
        #expect(applied.status == 200, "\(applied.text)")
        let patched = try http.request("PATCH", "\(Self.cm)/c?fieldManager=editor", body: ["data": ["a": "9", "c": "4"]],
                                       headers: ["Content-Type": "application/merge-patch+json"])
        let entries = patched.json[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        let byManager = Dictionary(uniqueKeysWithValues: entries.map { ($0["manager"]?.stringValue ?? "", $0) })
        #expect(byManager["editor"]?["fieldsV1"] == ["f:data": ["f:a": [:], "f:c": [:]]])
        #expect(byManager["kubectl-create"]?["fieldsV1"] == ["f:data": [".": [:], "f:b": [:]],
                                                             "f:metadata": ["f:labels": [".": [:], "f:app": [:]]]])
        #expect(byManager["alice"] == nil, "alice's only field went to editor")
        try await f.close()
    }

    static let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "routers.example.com"],
        "spec": ["group": "example.com", "scope": "Namespaced",
                 "names": ["plural": "routers", "singular": "router", "kind": "Router"],
                 "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": [
                     "type": "object", "properties": ["spec": ["type": "object", "properties": [
                         "ports": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                                   "items": ["type": "object", "required": ["name"],
                                             "properties": ["name": ["type": "string"], "port": ["type": "integer"]]]],
                         "tags": ["type": "array", "items": ["type": "string"]],
                     ]]]]]]]],
    ]

    @Test func mapListsOfCustomResourcesMergePerKey() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        #expect(try http.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: Self.crd).status == 201)
        let path = "/apis/example.com/v1/namespaces/default/routers/r"
        func router(_ ports: JSONValue, tags: JSONValue? = nil) -> JSONValue {
            var spec: JSONValue = ["ports": ports]
            if let tags { spec["tags"] = tags }
            return ["apiVersion": "example.com/v1", "kind": "Router", "metadata": ["name": "r"], "spec": spec]
        }
        let m1 = try http.request("PATCH", "\(path)?fieldManager=m1", body: router([["name": "http", "port": 80]], tags: ["a"]), headers: Self.apply)
        #expect(m1.status == 201, "\(m1.text)")
        let m2 = try http.request("PATCH", "\(path)?fieldManager=m2", body: router([["name": "https", "port": 443]]), headers: Self.apply)
        #expect(m2.status == 200, "\(m2.text)")
        #expect(m2.json[path: ["spec", "ports"]] == [["name": "http", "port": 80], ["name": "https", "port": 443]])
        let entry = m2.json[path: ["metadata", "managedFields"]]?.arrayValue?.first { $0["manager"] == "m2" }
        #expect(entry?[path: ["fieldsV1", "f:spec", "f:ports"]] == ["k:{\"name\":\"https\"}": [".": [:], "f:name": [:], "f:port": [:]]])
        // An atomic list owned by m1 conflicts as a whole; two conflicts are listed per manager.
        let both = try http.request("PATCH", "\(path)?fieldManager=m2", body: router([["name": "http", "port": 8080]], tags: ["b"]),
                                    headers: Self.apply)
        #expect(both.status == 409)
        #expect(both.json["message"] == "Apply failed with 2 conflicts: conflicts with \"m1\":\n- .spec.ports[name=\"http\"].port\n- .spec.tags")
        #expect(both.json["details"] == ["causes": [
            ["reason": "FieldManagerConflict", "message": "conflict with \"m1\"", "field": ".spec.ports[name=\"http\"].port"],
            ["reason": "FieldManagerConflict", "message": "conflict with \"m1\"", "field": ".spec.tags"],
        ]] || both.json[path: ["details", "causes"]]?.arrayValue?.count == 2)
        // m1 dropping its item removes it; m2's stays.
        let dropped = try http.request("PATCH", "\(path)?fieldManager=m1", body: router([]), headers: Self.apply)
        #expect(dropped.status == 200, "\(dropped.text)")
        #expect(dropped.json[path: ["spec", "ports"]] == [["name": "https", "port": 443]])
        try await f.close()
    }
}
