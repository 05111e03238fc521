import KubeAPI
import KubeTestServer
import Testing

/// Discovery documents and CRD establishment.
struct DiscoveryTests {
    @Test func builtInDiscovery() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        #expect(try c.request("GET", "/version").json["major"] == "1")
        #expect(try c.request("GET", "/api").json["versions"] == ["v1"])
        let core = try c.request("GET", "/api/v1").json
        let resources = core["resources"]?.arrayValue ?? []
        let pods = resources.first { $0["name"] == "pods" }
        #expect(pods?["namespaced"] == true)
        #expect(pods?["shortNames"] == ["po"])
        #expect(pods?["categories"] == ["all"])
        #expect(pods?["verbs"]?.arrayValue?.contains("watch") == true)
        #expect(resources.contains { $0["name"] == "pods/status" })
        #expect(resources.first { $0["name"] == "namespaces" }?["namespaced"] == false)
        let groups = try c.request("GET", "/apis").json["groups"]?.arrayValue ?? []
        let names = Set(groups.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["batch", "rbac.authorization.k8s.io", "coordination.k8s.io", "networking.k8s.io",
                                      "apiextensions.k8s.io", "events.k8s.io", "authorization.k8s.io"]))
        let batch = try c.request("GET", "/apis/batch/v1").json
        #expect(batch["groupVersion"] == "batch/v1")
        #expect(try c.request("GET", "/apis/example.com/v1").status == 404)
        let aggregated = try c.request("GET", "/apis", headers: ["Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"])
        #expect(aggregated.headers["content-type"] == "application/json", "legacy format, so clients fall back")
        try await f.close()
    }

    @Test func crdIsEstablishedAndServedThenRemovedWithItsObjects() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        let created = try c.request("POST", crdPath, body: TestCRDs.widget)
        #expect(created.status == 201)
        let conditions = created.json[path: ["status", "conditions"]]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["status"] == "True" })
        let list = try c.request("GET", "/apis/example.com/v1").json["resources"]?.arrayValue ?? []
        let widgets = list.first { $0["name"] == "widgets" }
        #expect(widgets?["kind"] == "Widget")
        #expect(widgets?["shortNames"] == ["wd"])
        #expect(widgets?["categories"] == ["fun"])
        #expect(list.contains { $0["name"] == "widgets/status" })
        let groups = try c.request("GET", "/apis").json["groups"]?.arrayValue ?? []
        #expect(groups.contains { $0["name"] == "example.com" && $0[path: ["preferredVersion", "version"]] == "v1" })
        #expect(try c.request("POST", "/apis/example.com/v1/namespaces/default/widgets", body: TestCRDs.widget("w")).status == 201)
        _ = try c.request("DELETE", crdPath + "/widgets.example.com")
        #expect(try c.request("GET", crdPath + "/widgets.example.com").status == 404)
        #expect(try c.request("GET", "/apis/example.com/v1").status == 404)
        _ = try c.request("POST", crdPath, body: TestCRDs.widget)
        let again = try c.request("GET", "/apis/example.com/v1/namespaces/default/widgets").json
        #expect(again["items"] == [], "custom resources went with their CRD")
        try await f.close()
    }

    /// In the open mode (`.alwaysAllow`) reviews allow everything unless `setAccessPolicy` says otherwise.
    @Test func subjectAccessReviewFollowsThePolicy() async throws {
        var open = ServerOptions()
        open.authorization = .alwaysAllow
        let f = try await Fixture.start(options: open)
        let c = try f.http()
        let path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
        let review: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                                 "spec": ["user": "bob", "resourceAttributes": ["verb": "get", "resource": "secrets"]]]
        #expect(try c.request("POST", path, body: review).json[path: ["status", "allowed"]] == true)
        f.server.store.setAccessPolicy { $0[path: ["spec", "resourceAttributes", "resource"]] != "secrets" }
        #expect(try c.request("POST", path, body: review).json[path: ["status", "allowed"]] == false)
        #expect(try c.request("GET", path).status == 405)
        try await f.close()
    }
}
