import KubeAPI
import KubeTestServer
import Testing

/// In-memory details of admission and validation that the conformance suite cannot assert
/// through KubeClient (Status causes, exact status bodies) or that need the server's controls.
struct AdmissionTests {
    static let ns = "/api/v1/namespaces"

    @Test func terminatingNamespaceRejectsCreatesWithCause() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.ns, body: ["metadata": ["name": "t"]])
        var cm: JSONValue = ["metadata": ["name": "held", "finalizers": ["example.com/hold"]]]
        _ = try c.request("POST", Self.ns + "/t/configmaps", body: cm)
        _ = try c.request("DELETE", Self.ns + "/t")
        cm.set(path: ["metadata", "name"], to: "new")
        cm.set(path: ["metadata", "finalizers"], to: nil)
        let r = try c.request("POST", Self.ns + "/t/configmaps", body: cm)
        #expect(r.status == 403)
        #expect(r.json["message"] == "configmaps \"new\" is forbidden: unable to create new content in namespace t because it is being terminated")
        #expect(r.json[path: ["details", "causes"]] == [["reason": "NamespaceTerminating", "message": "namespace t is being terminated",
                                                        "field": "metadata.namespace"]])
        try await f.close()
    }

    @Test func putWithAnotherUIDFailsItsPrecondition() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let created = try c.request("POST", Self.ns + "/default/configmaps", body: ["metadata": ["name": "a"]]).json
        var body = created
        body.set(path: ["metadata", "uid"], to: "other")
        let r = try c.request("PUT", Self.ns + "/default/configmaps/a", body: body)
        #expect(r.status == 409)
        let uid = created[path: ["metadata", "uid"]]?.stringValue ?? ""
        #expect(r.json["message"]?.stringValue == "Operation cannot be fulfilled on configmaps \"a\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/a, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: other, UID in object meta: \(uid)")
        try await f.close()
    }

    @Test func generateNamePodsReportThePrefixInMutatingAdmission() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let r = try c.request("POST", Self.ns + "/default/pods", body: [
            "metadata": ["generateName": "w-"], "spec": ["serviceAccountName": "nobody", "containers": [["name": "c", "image": "x"]]]])
        #expect(r.status == 403)
        #expect(r.json["message"] == "pods \"w-\" is forbidden: error looking up service account default/nobody: serviceaccount \"nobody\" not found")
        try await f.close()
    }

    @Test func quotaStatusFollowsPodsAndJobPodsAreDefaulted() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.ns + "/default/resourcequotas", body: [
            "metadata": ["name": "q"], "spec": ["hard": ["pods": "3", "requests.memory": "1Gi", "count/jobs.batch": "2"]]])
        _ = try c.request("POST", "/apis/batch/v1/namespaces/default/jobs", body: [
            "metadata": ["name": "j"],
            "spec": ["template": ["spec": ["restartPolicy": "Never",
                                           "containers": [["name": "c", "image": "busybox", "resources": ["requests": ["memory": "0.5Gi"]]]]]]]])
        let quota = try c.request("GET", Self.ns + "/default/resourcequotas/q").json
        #expect(quota[path: ["status", "used"]] == ["pods": "1", "requests.memory": "512Mi", "count/jobs.batch": "1"])
        let pods = try c.request("GET", Self.ns + "/default/pods").json["items"]?.arrayValue ?? []
        let pod = pods.first ?? [:]
        #expect(pod[path: ["spec", "serviceAccountName"]] == "default")
        #expect(pod[path: ["spec", "containers"]]?.arrayValue?.first?["imagePullPolicy"] == "Always")
        #expect(pod[path: ["status", "qosClass"]] == "Burstable")
        try f.server.kubelet.succeed(job: "j", namespace: "default")
        let after = try c.request("GET", Self.ns + "/default/resourcequotas/q").json
        #expect(after[path: ["status", "used", "pods"]] == "0", "terminal pods do not count")
        try await f.close()
    }
}
