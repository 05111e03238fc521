import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The server as a real kubectl (1.35) sees it: discovery, apply (client- and server-side),
/// printer columns, watch, delete --wait, wait --for=jsonpath.
@Suite(.enabled(if: Kubectl.path != nil, "kubectl not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct KubectlTests {
    static let crdYAML = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [fun]}
      versions:
      - name: v1
        served: true
        storage: true
        subresources: {status: {}}
        additionalPrinterColumns:
        - {name: Size, type: integer, jsonPath: .spec.size}
        - {name: Color, type: string, jsonPath: .spec.color}
        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [size]
                properties:
                  size: {type: integer, minimum: 1, maximum: 10}
                  color: {type: string, enum: [red, green, blue], default: red}
              status:
                type: object
                properties:
                  phase: {type: string}

    """

    static func widgetYAML(_ name: String, size: Int, color: String = "green") -> String {
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: \(name)
          namespace: default
        spec:
          size: \(size)
          color: \(color)

        """
    }

    @Test func applyCRDAndCustomObjectsThenGetWithPrinterColumns() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let crd = try await kubectl.run(["apply", "-f", "-"], stdin: Self.crdYAML)
        #expect(crd.status == 0, "\(crd.err)")
        #expect(crd.out.contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"))
        let w = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("w1", size: 4))
        #expect(w.status == 0, "\(w.err)")
        #expect(w.out.contains("widget.example.com/w1 created"))
        let again = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("w1", size: 5))
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("widget.example.com/w1 configured"))
        let get = try await kubectl.run(["get", "widgets"])
        #expect(get.status == 0, "\(get.err)")
        let lines = get.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "SIZE", "COLOR", "AGE"])
        #expect(Array(lines.dropFirst().first?.prefix(3) ?? []) == ["w1", "5", "green"])
        let short = try await kubectl.run(["get", "wd", "w1", "-o", "jsonpath={.spec.size}"])
        #expect(short.out == "5", "\(short.err)")
        try await f.close()
    }

    static func setUp() async throws -> (Fixture, Kubectl) {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let crd = try await kubectl.run(["apply", "-f", "-"], stdin: Self.crdYAML)
        #expect(crd.status == 0, "\(crd.err)")
        return (f, kubectl)
    }

    @Test func invalidObjectsShowTheServersCauses() async throws {
        let (f, kubectl) = try await Self.setUp()
        let invalid = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("w2", size: 50))
        #expect(invalid.status != 0)
        #expect(invalid.err.contains("spec.size: Invalid value: 50: spec.size in body should be less than or equal to 10"), "\(invalid.err)")
        let unknown = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("w3", size: 1) + "  bogus: 1\n")
        #expect(unknown.status != 0, "kubectl validates strictly by default (fieldValidation=Strict)")
        #expect(unknown.err.contains("unknown field \"spec.bogus\""), "\(unknown.err)")
        let lenient = try await kubectl.run(["apply", "--validate=false", "-f", "-"], stdin: Self.widgetYAML("w3", size: 1) + "  bogus: 1\n")
        #expect(lenient.status == 0, "\(lenient.err)")
        try await f.close()
    }

    @Test func serverSideApplyAndConflicts() async throws {
        let (f, kubectl) = try await Self.setUp()
        let first = try await kubectl.run(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: Self.widgetYAML("s", size: 2))
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("widget.example.com/s serverside-applied"))
        let conflict = try await kubectl.run(["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: Self.widgetYAML("s", size: 3))
        #expect(conflict.status != 0)
        #expect(conflict.err.contains("conflict"), "\(conflict.err)")
        let forced = try await kubectl.run(["apply", "--server-side", "--force-conflicts", "--field-manager=bob", "-f", "-"],
                                           stdin: Self.widgetYAML("s", size: 3))
        #expect(forced.status == 0, "\(forced.err)")
        let size = try await kubectl.run(["get", "widget", "s", "-o", "jsonpath={.spec.size}"])
        #expect(size.out == "3")
        let cm = try await kubectl.run(["apply", "--server-side", "-f", "-"], stdin: """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: default}
            data: {a: "1"}

            """)
        #expect(cm.status == 0, "\(cm.err)")
        try await f.close()
    }

    @Test func builtInTablesAndClientSideApplyOfBuiltIns() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let ns = try await kubectl.run(["get", "namespaces"])
        #expect(ns.out.split(separator: "\n").first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "STATUS", "AGE"])
        #expect(ns.out.contains("kube-system"))
        let manifest = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: default}
            data: {a: "1", b: "2"}

            """
        #expect(try await kubectl.run(["apply", "-f", "-"], stdin: manifest).status == 0)
        let updated = try await kubectl.run(["apply", "-f", "-"], stdin: manifest.replacingOccurrences(of: ", b: \"2\"", with: ""))
        #expect(updated.status == 0, "\(updated.err)")
        let data = try await kubectl.run(["get", "cm", "cfg", "-o", "jsonpath={.data}"])
        #expect(data.out == "{\"a\":\"1\"}", "client-side apply removed b via its three-way patch: \(data.out)")
        let job = try await kubectl.run(["apply", "-f", "-"], stdin: """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: j, namespace: default}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: busybox}]

            """)
        #expect(job.status == 0, "\(job.err)")
        let protobuf = try await kubectl.run(["create", "job", "typed", "--image=busybox"])
        #expect(protobuf.status == 0, "typed (protobuf) Job bodies are decoded: \(protobuf.err)")
        let typedNS = try await kubectl.run(["create", "namespace", "typed"])
        #expect(typedNS.status == 0, "protobuf Namespace bodies are decoded: \(typedNS.err)")
        let secret = try await kubectl.run(["create", "secret", "generic", "s", "--from-literal=k=v"])
        #expect(secret.status == 0, "\(secret.err)")
        let value = try await kubectl.run(["get", "secret", "s", "-o", "jsonpath={.data.k}"])
        #expect(value.out == "dg==")
        let pods = try await kubectl.run(["get", "pods"])
        #expect(pods.out.contains("Pending"))
        #expect(pods.out.split(separator: "\n").first?.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        try await f.close()
    }

    @Test func getWatchPrintsChanges() async throws {
        let (f, kubectl) = try await Self.setUp()
        _ = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("a", size: 1))
        let (process, lines) = try kubectl.start(["get", "widgets", "-w", "--request-timeout=20s"])
        var iterator = lines.makeAsyncIterator()
        let header = await iterator.next()
        #expect(header?.hasPrefix("NAME") == true)
        let existing = await iterator.next()
        #expect(existing?.hasPrefix("a ") == true)
        _ = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("b", size: 2))
        let added = await iterator.next()
        #expect(added?.hasPrefix("b ") == true, "\(added ?? "nil")")
        process.terminate()
        try await f.close()
    }

    @Test func deleteWaitAndWaitForJSONPath() async throws {
        let (f, kubectl) = try await Self.setUp()
        _ = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widgetYAML("d", size: 1))
        let waiter = Task { try await kubectl.run(["wait", "widget/d", "--for=jsonpath={.status.phase}=Ready", "--timeout=20s"]) }
        let type = try #require(f.server.store.resourceType(group: "example.com", version: "v1", plural: "widgets"))
        await f.server.requests.waitFor(verb: "watch", resource: "widgets.example.com")
        _ = try f.server.store.patch(type, namespace: "default", name: "d",
                                     patch: PatchRequest(type: .merge, body: ["status": ["phase": "Ready"]]), subresource: "status")
        let waited = try await waiter.value
        #expect(waited.status == 0, "\(waited.err)")
        #expect(waited.out.contains("widget.example.com/d condition met"))
        _ = try await kubectl.run(["patch", "widget", "d", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}"])
        let deleter = Task { try await kubectl.run(["delete", "widget", "d", "--wait=true", "--timeout=20s"]) }
        await f.server.requests.waitFor(verb: "delete", resource: "widgets.example.com")
        #expect(try f.server.store.get(type, namespace: "default", name: "d")[path: ["metadata", "deletionTimestamp"]] != nil)
        _ = try f.server.store.patch(type, namespace: "default", name: "d",
                                     patch: PatchRequest(type: .merge, body: ["metadata": ["finalizers": .null]]))
        let deleted = try await deleter.value
        #expect(deleted.status == 0, "\(deleted.err)")
        #expect(deleted.out.contains("widget.example.com \"d\" deleted"))
        try await f.close()
    }
}
