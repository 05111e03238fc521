import KubeAPI
import KubeClient
import KubeTestServer
import Testing

/// Conformance: error texts as a real kube-apiserver 1.35 writes them (FINDINGS A12).
@Suite(.serialized) struct ErrorTextConformanceTests {
    typealias T = ConformanceTarget

    static func causes(_ r: RawAnswer) -> [JSONValue] { r.json[path: ["details", "causes"]]?.arrayValue ?? [] }

    @Test func celMessagesAndTheRulesNotCheckedCause() async throws {
        let t = try await T.start()
        let r = try await t.installGadgetCRD()
        let path = "/apis/\(r.group)/v1/namespaces/\(t.namespace)/gadgets"
        let cel = try await t.raw("POST", path, t.gadget(r, "blue", spec: ["size": 7, "color": "blue"]))
        #expect(cel.status == 422)
        #expect(Self.causes(cel).map { $0["message"] } == ["Invalid value: big widgets cannot be blue"])
        #expect(Self.causes(cel).map { $0["field"] } == ["spec"])
        let blocked = try await t.raw("POST", path, t.gadget(r, "pink", spec: ["size": 7, "color": "pink"]))
        #expect(blocked.status == 422)
        let notChecked = Self.causes(blocked).first { $0["field"] == "<nil>" }
        #expect(notChecked?["reason"] == "FieldValueInvalid")
        #expect(notChecked?["message"] == "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
        #expect(!Self.causes(blocked).contains { $0["message"]?.stringValue?.contains("big widgets") == true })
        try await t.close()
    }

    @Test func namesAndGenerateNames() async throws {
        let t = try await T.start()
        let dotted = try await t.raw("POST", "/api/v1/namespaces",
                                     ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string("a.\(t.suffix)")]])
        #expect(dotted.status == 422)
        #expect(Self.causes(dotted).first?["message"] == .string("Invalid value: \"a.\(t.suffix)\": must not contain dots"))
        let generated = try await t.raw("POST", t.configMapsPath,
                                        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "Bad_"]])
        #expect(generated.status == 422)
        #expect(Self.causes(generated).first?["field"] == "metadata.generateName")
        #expect(Self.causes(generated).first?["message"]?.stringValue?.hasPrefix("Invalid value: \"Bad_\": a lowercase RFC 1123 subdomain") == true)
        try await t.close()
    }

    @Test func malformedBodiesAreDecodeErrors() async throws {
        let t = try await T.start()
        let prefix = "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: "
        for (body, expected) in [("{", "unexpected end of JSON input ({)"),
                                 ("{\"a\" 1}", "invalid character '1' after object key ({\"a\" 1})"),
                                 ("xyz", "invalid character 'x' looking for beginning of value (78797a)"),
                                 ("{\"a\":tru}", "invalid character '}' in literal true (expecting 'e') ({\"a\":tru})")] {
            let r = try await t.raw("POST", t.configMapsPath, bytes: Array(body.utf8))
            #expect(r.status == 400, "\(body)")
            #expect(r.reason == "BadRequest")
            #expect(r.message == prefix + expected)
        }
        try await t.close()
    }

    @Test func failedJSONPatchAndTerminatingNamespace() async throws {
        let t = try await T.start()
        _ = try await t.client.create(T.configMaps, namespace: t.namespace, t.configMap("p", data: ["a": "1"]))
        let patch = try await t.raw("PATCH", t.configMapsPath + "/p", [["op": "test", "path": "/data/a", "value": "2"]],
                                    contentType: "application/json-patch+json")
        #expect(patch.status == 422)
        #expect(patch.message == "the server rejected our request due to an error in our request")
        #expect(patch.json["details"] == [:])

        let ns = "ending-\(t.suffix)"
        _ = try await t.client.create(T.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        var pin = t.configMap("pin")
        pin.set(path: ["metadata", "namespace"], to: .string(ns))
        pin.set(path: ["metadata", "finalizers"], to: ["conformance.codex-k8s.dev/hold"])
        _ = try await t.client.create(T.configMaps, namespace: ns, pin)
        _ = try await t.client.delete(T.namespaces, name: ns)
        let refused = try await t.raw("POST", "/api/v1/namespaces/\(ns)/configmaps",
                                      ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "late"]])
        #expect(refused.status == 403)
        #expect(refused.message == "configmaps \"late\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated")
        #expect(Self.causes(refused) == [["reason": "NamespaceTerminating", "message": .string("namespace \(ns) is being terminated"),
                                          "field": "metadata.namespace"]])
        _ = try await t.client.patch(T.configMaps, namespace: ns, name: "pin", .merge(["metadata": ["finalizers": .null]]))
        try await t.close()
    }
}
