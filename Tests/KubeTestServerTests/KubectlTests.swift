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
}
