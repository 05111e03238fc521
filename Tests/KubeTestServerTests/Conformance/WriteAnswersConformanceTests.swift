import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: the status codes and bodies of writes, as a real kube-apiserver 1.35 answers them
/// (FINDINGS A11, B1): routes that do not exist → 405, DELETE → 200 with a `Status` or the object,
/// `resourceVersion` on create → 500, option validation → 422 on `…Options.meta.k8s.io`.
@Suite(.serialized) struct WriteAnswersConformanceTests {
    typealias T = ConformanceTarget

    @Test func methodsWithoutARouteAre405AndChangeNothing() async throws {
        let t = try await T.start()
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("there"))
        for (method, path, contentType) in [("PUT", t.configMapsPath, "application/json"),
                                            ("PATCH", t.configMapsPath, "application/merge-patch+json"),
                                            ("POST", t.configMapsPath + "/named", "application/json"),
                                            ("POST", "/api/v1/configmaps", "application/json"),
                                            ("DELETE", "/api/v1/configmaps", "application/json")] {
            let r = try await t.raw(method, path, t.configMap("named"), contentType: contentType)
            #expect(r.status == 405, "\(method) \(path)")
            #expect(r.reason == "MethodNotAllowed", "\(method) \(path)")
            #expect(r.message == "the server does not allow this method on the requested resource")
            #expect(r.json["kind"] == "Status" && r.json["status"] == "Failure")
        }
        let named = await T.error { _ = try await t.client.get(T.configMaps, namespace: t.namespace, name: "named") }
        #expect(named?.isNotFound == true, "POST to a named path created nothing")
        #expect(try await t.client.get(T.configMaps, namespace: t.namespace, name: "there")["metadata"] != nil)
        try await t.close()
    }

    @Test func deleteAnswersStatusOrObjectWith200() async throws {
        let t = try await T.start()
        let c = t.client
        let cm = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("plain"))
        let gone = try await t.raw("DELETE", t.configMapsPath + "/plain")
        #expect(gone.status == 200)
        #expect(gone.json["kind"] == "Status" && gone.json["status"] == "Success")
        #expect(gone.json["details"] == ["name": "plain", "kind": "configmaps", "uid": cm[path: ["metadata", "uid"]] ?? .null])

        var held = t.configMap("held")
        held.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await c.create(T.configMaps, namespace: t.namespace, held)
        let marked = try await t.raw("DELETE", t.configMapsPath + "/held")
        #expect(marked.status == 200)
        #expect(marked.json["kind"] == "ConfigMap")
        #expect(marked.json[path: ["metadata", "deletionTimestamp"]] != nil)
        let again = try await t.raw("DELETE", t.configMapsPath + "/held")
        #expect(again.status == 200)
        #expect(again.json[path: ["metadata", "deletionTimestamp"]] == marked.json[path: ["metadata", "deletionTimestamp"]])
        _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "held", .merge(["metadata": ["finalizers": .null]]))

        _ = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("fg"))
        let foreground = try await t.raw("DELETE", t.configMapsPath + "/fg?propagationPolicy=Foreground")
        #expect(foreground.status == 200)
        #expect(foreground.json[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])

        let sa = try await t.raw("POST", "/api/v1/namespaces/\(t.namespace)/serviceaccounts",
                                 ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"]])
        #expect(sa.status == 201)
        let saGone = try await t.raw("DELETE", "/api/v1/namespaces/\(t.namespace)/serviceaccounts/robot")
        #expect(saGone.status == 200)
        #expect(saGone.json["kind"] == "ServiceAccount", "serviceaccounts return the deleted object")

        let ns = "del-\(t.suffix)"
        _ = try await c.create(T.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        var pin = t.configMap("pin")
        pin.set(path: ["metadata", "namespace"], to: .string(ns))
        pin.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await c.create(T.configMaps, namespace: ns, pin)
        let terminating = try await t.raw("DELETE", "/api/v1/namespaces/\(ns)")
        #expect(terminating.status == 200)
        #expect(terminating.json[path: ["status", "phase"]] == "Terminating")
        let twice = try await t.raw("DELETE", "/api/v1/namespaces/\(ns)")
        #expect(twice.status == 200)
        #expect(twice.json["kind"] == "Namespace")
        _ = try await c.patch(T.configMaps, namespace: ns, name: "pin", .merge(["metadata": ["finalizers": .null]]))
        try await t.close()
    }

    @Test func createWithResourceVersionIsAnInternalError() async throws {
        let t = try await T.start()
        var cm = t.configMap("rv")
        cm.set(path: ["metadata", "resourceVersion"], to: "12345")
        let r = try await t.raw("POST", t.configMapsPath, cm)
        #expect(r.status == 500)
        #expect(r.message == "resourceVersion should not be set on objects to be created")
        #expect(r.json["status"] == "Failure")
        let absent = await T.error { _ = try await t.client.get(T.configMaps, namespace: t.namespace, name: "rv") }
        #expect(absent?.isNotFound == true)
        try await t.close()
    }

    @Test func optionsAreValidatedAs422OnTheirOptionsKind() async throws {
        let t = try await T.start()
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("o"))
        let policy = try await t.raw("DELETE", t.configMapsPath + "/o?propagationPolicy=Sideways")
        #expect(policy.status == 422)
        #expect(policy.message == "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
        #expect(policy.json[path: ["details", "kind"]] == "DeleteOptions")
        #expect(policy.json[path: ["details", "group"]] == "meta.k8s.io")
        let dryRun = try await t.raw("POST", t.configMapsPath + "?dryRun=Bogus", t.configMap("d"))
        #expect(dryRun.status == 422)
        #expect(dryRun.message == "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Bogus\"]: supported values: \"All\"")
        let apply = try await t.raw("PATCH", t.configMapsPath + "/o", t.configMap("o"), contentType: "application/apply-patch+yaml")
        #expect(apply.status == 422)
        #expect(apply.message == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        let noVersion = try await t.raw("PATCH", t.configMapsPath + "/o?fieldManager=conformance",
                                        ["kind": "ConfigMap", "metadata": ["name": "o"]], contentType: "application/apply-patch+yaml")
        #expect(noVersion.status == 400)
        #expect(noVersion.message == "Incorrect version specified in apply patch. Specified patch version: , expected: v1")
        try await t.close()
    }

    @Test func generationOnlyWhereTheStrategyKeepsOne() async throws {
        let t = try await T.start()
        let c = t.client
        let cm = try await c.create(T.configMaps, namespace: t.namespace, t.configMap("g", data: ["a": "1"]))
        #expect(cm[path: ["metadata", "generation"]] == nil)
        let changed = try await c.patch(T.configMaps, namespace: t.namespace, name: "g", .merge(["data": ["a": "2"]]))
        #expect(changed[path: ["metadata", "generation"]] == nil)
        var seven = t.configMap("seven", data: ["a": "1"])
        seven.set(path: ["metadata", "generation"], to: 7)
        let kept = try await c.create(T.configMaps, namespace: t.namespace, seven)
        #expect(kept[path: ["metadata", "generation"]] == 7)
        let still = try await c.patch(T.configMaps, namespace: t.namespace, name: "seven",
                                      .merge(["data": ["a": "2"], "metadata": ["generation": 9]]))
        #expect(still[path: ["metadata", "generation"]] == 7)
        let lease = try await t.raw("POST", "/apis/coordination.k8s.io/v1/namespaces/\(t.namespace)/leases",
                                    ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "l"],
                                     "spec": ["holderIdentity": "a"]])
        #expect(lease.status == 201)
        #expect(lease.json[path: ["metadata", "generation"]] == nil)
        let job = try await c.create(T.jobs, namespace: t.namespace, [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
            "spec": ["suspend": true, "template": ["spec": ["restartPolicy": "Never",
                                                            "containers": [["name": "c", "image": "busybox"]]]]],
        ])
        #expect(job[path: ["metadata", "generation"]] == 1)
        _ = try await c.delete(T.jobs, namespace: t.namespace, name: "j", options: DeleteOptions(propagationPolicy: .background))
        try await t.close()
    }
}
