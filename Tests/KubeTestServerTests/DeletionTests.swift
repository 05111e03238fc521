import KubeAPI
import KubeTestServer
import Testing

/// Delete semantics: preconditions, finalizers, garbage collection, namespace termination.
struct DeletionTests {
    static let cms = "/api/v1/namespaces/default/configmaps"
    static let merge = ["Content-Type": "application/merge-patch+json"]

    @Test func preconditionsMustMatch() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let obj = try c.request("POST", Self.cms, body: ["metadata": ["name": "p"]]).json
        let wrongUID = try c.request("DELETE", Self.cms + "/p", body: ["preconditions": ["uid": "nope"]])
        #expect(wrongUID.status == 409)
        let uid = obj[path: ["metadata", "uid"]]?.stringValue ?? ""
        #expect(wrongUID.json["message"]?.stringValue == "Operation cannot be fulfilled on ConfigMap \"p\": the UID in the precondition (nope) does not match the UID in record (\(uid)). The object might have been deleted and then recreated")
        let wrongRV = try c.request("DELETE", Self.cms + "/p", body: ["preconditions": ["resourceVersion": "1"]])
        #expect(wrongRV.status == 409)
        let ok = try c.request("DELETE", Self.cms + "/p", body: ["preconditions": ["uid": obj[path: ["metadata", "uid"]] ?? .null]])
        #expect(ok.status == 200)
        #expect(try c.request("GET", Self.cms + "/p").status == 404)
        try await f.close()
    }

    @Test func finalizersKeepTheObjectUntilTheLastIsRemoved() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "f", "finalizers": ["a/x", "a/y"]]])
        let del = try c.request("DELETE", Self.cms + "/f")
        #expect(del.status == 202 || del.status == 200)
        let marked = try c.request("GET", Self.cms + "/f").json
        #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
        let addMore = try c.request("PATCH", Self.cms + "/f", body: ["metadata": ["finalizers": ["a/x", "a/y", "a/z"]]], headers: Self.merge)
        #expect(addMore.status == 422, "no new finalizers once deleting")
        _ = try c.request("PATCH", Self.cms + "/f", body: ["metadata": ["finalizers": ["a/y"]]], headers: Self.merge)
        #expect(try c.request("GET", Self.cms + "/f").status == 200)
        _ = try c.request("PATCH", Self.cms + "/f", body: ["metadata": ["finalizers": .null]], headers: Self.merge)
        #expect(try c.request("GET", Self.cms + "/f").status == 404)
        try await f.close()
    }

    static func owned(_ name: String, by owner: JSONValue, block: Bool = false) -> JSONValue {
        ["metadata": ["name": .string(name), "ownerReferences": [[
            "apiVersion": "v1", "kind": "ConfigMap", "name": owner[path: ["metadata", "name"]] ?? .null,
            "uid": owner[path: ["metadata", "uid"]] ?? .null, "blockOwnerDeletion": .bool(block)]]]]
    }

    @Test(arguments: ["Background", "Foreground", "Orphan"])
    func ownerReferenceGarbageCollection(policy: String) async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let owner = try c.request("POST", Self.cms, body: ["metadata": ["name": "owner"]]).json
        _ = try c.request("POST", Self.cms, body: Self.owned("child", by: owner, block: true))
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "held", "finalizers": ["t/hold"], "ownerReferences": [[
            "apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner[path: ["metadata", "uid"]] ?? .null,
            "blockOwnerDeletion": true]]]])
        _ = try c.request("DELETE", Self.cms + "/owner?propagationPolicy=\(policy)")
        let child = try c.request("GET", Self.cms + "/child")
        let ownerNow = try c.request("GET", Self.cms + "/owner")
        switch policy {
        case "Background":
            #expect(ownerNow.status == 404)
            #expect(child.status == 404)
            #expect(try c.request("GET", Self.cms + "/held").json[path: ["metadata", "deletionTimestamp"]] != nil)
        case "Foreground":
            #expect(child.status == 404)
            #expect(ownerNow.json[path: ["metadata", "finalizers"]] == ["foregroundDeletion"], "held blocks the owner")
            _ = try c.request("PATCH", Self.cms + "/held", body: ["metadata": ["finalizers": .null]], headers: Self.merge)
            #expect(try c.request("GET", Self.cms + "/owner").status == 404)
        default:
            #expect(ownerNow.status == 404)
            #expect(child.status == 200)
            #expect(child.json[path: ["metadata", "ownerReferences"]] == nil)
        }
        try await f.close()
    }

    @Test func namespaceDeletionHonoursContentFinalizers() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "run"]])
        let created = try c.request("GET", "/api/v1/namespaces/run").json
        #expect(created[path: ["spec", "finalizers"]] == ["kubernetes"])
        _ = try c.request("POST", "/api/v1/namespaces/run/configmaps", body: ["metadata": ["name": "plain"]])
        _ = try c.request("POST", "/api/v1/namespaces/run/configmaps", body: ["metadata": ["name": "held", "finalizers": ["t/hold"]]])
        let w = try f.http()
        _ = try w.send("GET", "/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Drun&resourceVersion=\(f.server.store.currentResourceVersion)")
        _ = try c.request("DELETE", "/api/v1/namespaces/run")
        let terminating = try w.nextEvent(where: { _ in true })
        #expect(terminating["type"] == "MODIFIED")
        #expect(terminating[path: ["object", "status", "phase"]] == "Terminating")
        #expect(try c.request("GET", "/api/v1/namespaces/run/configmaps/plain").status == 404)
        let ns = try c.request("GET", "/api/v1/namespaces/run").json
        let conditions = ns[path: ["status", "conditions"]]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "NamespaceFinalizersRemaining" })
        _ = try c.request("PATCH", "/api/v1/namespaces/run/configmaps/held", body: ["metadata": ["finalizers": .null]], headers: Self.merge)
        let gone = try w.nextEvent(where: { $0["type"] == "DELETED" })
        #expect(gone[path: ["object", "metadata", "name"]] == "run")
        #expect(try c.request("GET", "/api/v1/namespaces/run").status == 404)
        try await f.close()
    }
}
