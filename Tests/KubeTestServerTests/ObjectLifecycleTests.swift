import KubeAPI
import KubeTestServer
import Testing

/// Object semantics over real HTTP: metadata stamping, optimistic concurrency, generation,
/// namespaces, status subresource.
struct ObjectLifecycleTests {
    static let cms = "/api/v1/namespaces/default/configmaps"

    @Test func createStampsMetadataAndRejectsDuplicates() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let r = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"], "data": ["k": "v"]])
        #expect(r.status == 201)
        let meta = r.json["metadata"] ?? .null
        #expect(meta["uid"]?.stringValue?.count == 36)
        #expect(meta["creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(meta["generation"] == nil, "a ConfigMap has no generation (its strategy keeps none)")
        #expect(r.json["kind"] == "ConfigMap")
        #expect(r.json["apiVersion"] == "v1")
        let rv1 = Int(meta["resourceVersion"]?.stringValue ?? "") ?? 0
        let dup = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]])
        #expect(dup.status == 409)
        #expect(dup.json["reason"] == "AlreadyExists")
        #expect(dup.json["message"] == "configmaps \"a\" already exists")
        let gen = try c.request("POST", Self.cms, body: ["metadata": ["generateName": "gen-"]])
        #expect(gen.status == 201)
        let genName = gen.json[path: ["metadata", "name"]]?.stringValue ?? ""
        #expect(genName.hasPrefix("gen-") && genName.count == 9)
        let rv2 = Int(gen.json[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
        #expect(rv2 > rv1)
        let noName = try c.request("POST", Self.cms, body: ["data": [:]])
        #expect(noName.status == 422)
        #expect(noName.json["reason"] == "Invalid")
        let badName = try c.request("POST", Self.cms, body: ["metadata": ["name": "Not_Valid"]])
        #expect(badName.status == 422)
        #expect(badName.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "metadata.name")
        let get = try c.request("GET", Self.cms + "/a")
        #expect(get.status == 200 && get.json["data"] == ["k": "v"])
        let missing = try c.request("GET", Self.cms + "/nope")
        #expect(missing.status == 404 && missing.json["reason"] == "NotFound")
        #expect(missing.json["message"] == "configmaps \"nope\" not found")
        try await f.close()
    }

    @Test func staleResourceVersionConflictsAndGenerationFollowsSpecOnly() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let path = "/apis/batch/v1/namespaces/default/jobs"
        let job: JSONValue = ["metadata": ["name": "j"], "spec": ["suspend": true, "template": [
            "spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox"]]]]]]
        let created = try c.request("POST", path, body: job).json
        #expect(created[path: ["metadata", "generation"]] == 1)
        // The job controller has since written the `Suspended` condition (a new resourceVersion).
        var labelled = try c.request("GET", path + "/j").json
        labelled.set(path: ["metadata", "labels"], to: ["a": "b"])
        let afterLabel = try c.request("PUT", path + "/j", body: labelled)
        #expect(afterLabel.status == 200)
        #expect(afterLabel.json[path: ["metadata", "generation"]] == 1)
        let stale = try c.request("PUT", path + "/j", body: labelled)
        #expect(stale.status == 409)
        #expect(stale.json["reason"] == "Conflict")
        #expect(stale.json["message"]?.stringValue?.contains("the object has been modified") == true)
        var specChange = afterLabel.json
        specChange.set(path: ["spec", "suspend"], to: false)
        let afterSpec = try c.request("PUT", path + "/j", body: specChange)
        #expect(afterSpec.json[path: ["metadata", "generation"]] == 2)
        var statusChange = afterSpec.json
        statusChange.set(path: ["status", "active"], to: 7)
        let viaMain = try c.request("PUT", path + "/j", body: statusChange)
        #expect(viaMain.json[path: ["status", "active"]] != 7, "the main endpoint ignores status")
        var viaStatusBody = viaMain.json
        viaStatusBody.set(path: ["status", "active"], to: 7)
        viaStatusBody.set(path: ["spec", "parallelism"], to: 5)
        let viaStatus = try c.request("PUT", path + "/j/status", body: viaStatusBody)
        #expect(viaStatus.json[path: ["status", "active"]] == 7)
        #expect(viaStatus.json[path: ["spec", "parallelism"]] == 1, "/status ignores spec")
        #expect(viaStatus.json[path: ["metadata", "generation"]] == 2)
        try await f.close()
    }

    @Test func namespaceRulesForCreates() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let missing = try c.request("POST", "/api/v1/namespaces/ghost/configmaps", body: ["metadata": ["name": "x"]])
        #expect(missing.status == 404)
        #expect(missing.json["message"] == "namespaces \"ghost\" not found")
        #expect(try c.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "t"]]).status == 201)
        let sa = try c.request("GET", "/api/v1/namespaces/t/serviceaccounts/default")
        #expect(sa.status == 200, "the default ServiceAccount is created with the namespace")
        _ = try c.request("POST", "/api/v1/namespaces/t/configmaps",
                          body: ["metadata": ["name": "held", "finalizers": ["example.com/hold"]]])
        let del = try c.request("DELETE", "/api/v1/namespaces/t")
        #expect(del.status == 200 || del.status == 202)
        let ns = try c.request("GET", "/api/v1/namespaces/t").json
        #expect(ns[path: ["status", "phase"]] == "Terminating")
        let forbidden = try c.request("POST", "/api/v1/namespaces/t/configmaps", body: ["metadata": ["name": "new"]])
        #expect(forbidden.status == 403)
        #expect(forbidden.json["reason"] == "Forbidden")
        #expect(forbidden.json["message"]?.stringValue?.contains("because it is being terminated") == true)
        try await f.close()
    }
}
