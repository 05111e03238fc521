import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: the fidelity findings a review found untested — ConfigMap immutability, typed
/// Secret keys, annotation key syntax, LimitRange bounds, Job object defaults and the `Suspended`
/// condition, `/openapi/v2`,
/// managedFields in watch events and CR printer column descriptions (real answers from
/// pkg/apis/core/validation, pkg/apis/batch/v1 defaults and apiextensions-apiserver's tableconvertor).
@Suite(.serialized) struct FidelityGapConformanceTests {
    typealias T = ConformanceTarget

    func fields(_ e: KubeError?) -> [String] { T.causes(e).compactMap(\.field) }

    func secret(_ name: String, type: String, data: JSONValue = [:]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name)], "type": .string(type), "data": data]
    }

    @Test func immutableConfigMapTypedSecretsAndAnnotationKeys() async throws {
        let t = try await T.start()
        let c = t.client
        var frozen = t.configMap("frozen", data: ["k": "v"])
        frozen["immutable"] = true
        _ = try await c.create(T.configMaps, namespace: t.namespace, frozen)
        let changed = await T.error {
            _ = try await c.patch(T.configMaps, namespace: t.namespace, name: "frozen", .merge(["data": ["k": "w"]]))
        }
        #expect(changed?.code == 422)
        #expect(T.message(changed) == "ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
        let basic = await T.error { _ = try await c.create(T.secrets, namespace: t.namespace, secret("basic", type: "kubernetes.io/basic-auth")) }
        #expect(fields(basic) == ["data[username]", "data[password]"])
        // Either key alone is enough (it may even be empty).
        _ = try await c.create(T.secrets, namespace: t.namespace, secret("user", type: "kubernetes.io/basic-auth", data: ["username": ""]))
        let docker = await T.error {
            _ = try await c.create(T.secrets, namespace: t.namespace, secret("docker", type: "kubernetes.io/dockerconfigjson"))
        }
        #expect(T.message(docker) == "Secret \"docker\" is invalid: data[.dockerconfigjson]: Required value")
        let notJSON = await T.error {
            _ = try await c.create(T.secrets, namespace: t.namespace,
                                   secret("docker2", type: "kubernetes.io/dockerconfigjson", data: [".dockerconfigjson": "bm90IGpzb24="]))
        }
        #expect(fields(notJSON) == ["data[.dockerconfigjson]"])
        _ = try await c.create(T.secrets, namespace: t.namespace,
                               secret("docker3", type: "kubernetes.io/dockerconfigjson", data: [".dockerconfigjson": "e30="]))
        var annotated = t.configMap("annotated")
        annotated.set(path: ["metadata", "annotations"], to: ["bad key!": "v"])
        let annotation = await T.error { _ = try await c.create(T.configMaps, namespace: t.namespace, annotated) }
        #expect(fields(annotation) == ["metadata.annotations"])
        #expect(T.message(annotation).hasPrefix("ConfigMap \"annotated\" is invalid: metadata.annotations: Invalid value: \"bad key!\": name part must consist of alphanumeric characters"))
        try await t.close()
    }

    @Test func limitRangeQuantitiesAndBounds() async throws {
        let t = try await T.start()
        // `Container` items get `default`/`defaultRequest` filled from max/default/min before validation.
        func limitRange(_ name: String, _ item: JSONValue, type: String = "Container") -> JSONValue {
            var limit = item
            limit["type"] = .string(type)
            return ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": .string(name)], "spec": ["limits": [limit]]]
        }
        func create(_ name: String, _ item: JSONValue, type: String = "Container") async -> KubeError? {
            await T.error { _ = try await t.client.create(T.limitRanges, namespace: t.namespace, limitRange(name, item, type: type)) }
        }
        let negative = await create("neg", ["max": ["cpu": "-1"]], type: "Pod")
        #expect(T.message(negative) == "LimitRange \"neg\" is invalid: spec.limits[0].max[cpu]: Invalid value: \"-1\": must be greater than or equal to 0")
        let minOverMax = await create("minmax", ["min": ["cpu": "2"], "max": ["cpu": "1"]])
        #expect(fields(minOverMax).first == "spec.limits[0].min[cpu]")
        #expect(T.causes(minOverMax).first?.message == "Invalid value: \"2\": min value 2 is greater than max value 1")
        let requestOverLimit = await create("req", ["default": ["cpu": "500m"], "defaultRequest": ["cpu": "800m"], "max": ["cpu": "2"]])
        #expect(T.message(requestOverLimit) == "LimitRange \"req\" is invalid: spec.limits[0].defaultRequest[cpu]: Invalid value: \"800m\": default request value 800m is greater than default limit value 500m")
        let defaultOverMax = await create("defmax", ["default": ["cpu": "3"], "defaultRequest": ["cpu": "1"], "max": ["cpu": "2"]])
        #expect(T.message(defaultOverMax) == "LimitRange \"defmax\" is invalid: spec.limits[0].default[cpu]: Invalid value: \"2\": default value 3 is greater than max value 2")
        let minOverDefault = await create("mindef", ["default": ["cpu": "1"], "defaultRequest": ["cpu": "1"], "min": ["cpu": "2"]])
        #expect(Set(T.causes(minOverDefault).compactMap(\.message)) == [
            "Invalid value: \"1\": min value 2 is greater than default request value 1",
            "Invalid value: \"2\": min value 2 is greater than default value 1"])
        let bad = await T.error {
            _ = try await t.client.create(T.limitRanges, namespace: t.namespace, limitRange("bad", ["max": ["cpu": "lots"]]))
        }
        #expect(bad?.code == 400)
        _ = try await t.client.create(T.limitRanges, namespace: t.namespace,
                                      limitRange("ok", ["min": ["cpu": "100m"], "defaultRequest": ["cpu": "200m"], "default": ["cpu": "1"], "max": ["cpu": "2"]]))
        try await t.close()
    }

    @Test func jobObjectGetsTemplateDefaultsLabelsAndManualSelector() async throws {
        let t = try await T.start()
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "defaults"],
                              "spec": ["suspend": true, "template": ["metadata": ["labels": ["app": "demo"]],
                                                                     "spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "busybox:1.36"]]]]]]
        let created = try await t.client.create(T.jobs, namespace: t.namespace, job)
        #expect(created[path: ["metadata", "labels", "app"]] == "demo")
        #expect(created[path: ["spec", "manualSelector"]] == false)
        let pod = created[path: ["spec", "template", "spec"]]
        #expect(pod?["dnsPolicy"] == "ClusterFirst")
        #expect(pod?["schedulerName"] == "default-scheduler")
        #expect(pod?["terminationGracePeriodSeconds"] == 30)
        #expect(pod?["securityContext"] == [:])
        let container = pod?["containers"]?[item: 0]
        #expect(container?["imagePullPolicy"] == "IfNotPresent")
        #expect(container?["terminationMessagePath"] == "/dev/termination-log")
        #expect(container?["terminationMessagePolicy"] == "File")
        #expect(container?["resources"] == [:])
        // The job controller then records the Suspended condition (asynchronously on a real cluster).
        let suspended = try await t.waitFor(T.jobs, "defaults") { job in
            (job[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Suspended" }
        }
        let condition = suspended?[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Suspended" }
        #expect(condition?["status"] == "True")
        #expect(condition?["reason"] == "JobSuspended")
        #expect(condition?["message"] == "Job suspended")
        #expect(suspended?[path: ["status", "startTime"]] == nil)
        try await t.close()
    }

    @Test func openAPIV2WatchManagedFieldsAndPrinterColumnDescriptions() async throws {
        let t = try await T.start()
        let v2 = try await t.raw("GET", "/openapi/v2")
        #expect(v2.status == 200)
        #expect(v2.json["swagger"] == "2.0")
        #expect(v2.json[path: ["definitions", "io.k8s.api.core.v1.ConfigMap"]] != nil)
        #expect(v2.json[path: ["paths", "/api/v1/namespaces/{namespace}/configmaps"]] != nil)

        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("watched", data: ["a": "b"]))
        let events = t.client.watch(T.configMaps, namespace: t.namespace,
                                    options: WatchOptions(fieldSelector: "metadata.name=watched", timeoutSeconds: 60))
        var seen: JSONValue?
        for try await event in events {
            if case .added(let o) = event { seen = o; break }
        }
        let entry = seen?[path: ["metadata", "managedFields"]]?[item: 0]
        #expect(entry?["operation"] == "Update")
        #expect(entry?[path: ["fieldsV1", "f:data", "f:a"]] == [:])

        let gadgets = try await t.installGadgetCRD()
        _ = try await t.client.create(gadgets, namespace: t.namespace, t.gadget(gadgets, "g"))
        let table = try await t.raw("GET", "/apis/\(gadgets.group)/v1/namespaces/\(t.namespace)/gadgets",
                                    accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        let columns = table.json["columnDefinitions"]?.arrayValue ?? []
        let size = columns.first { $0["name"] == "Size" }
        #expect(size?["description"] == "Custom resource definition column (in JSONPath format): .spec.size")
        try await t.close()
    }
}
