import TestSupport
import Foundation
import KubeAPI
import Testing

/// values.schema.json rejects bad values at `helm template`/`helm install` with helm's own message,
/// and the config ConfigMap rendered from values is a valid operator configuration.
@Suite(.enabled(if: Helm.path != nil, "helm not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct ChartValuesTests {
    static let header = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\ncodex-k8s:\n"

    @Test(arguments: [
        ("operator.replicas=0", "- at '/operator/replicas': minimum: got 0, want 1"),
        ("operator.replica=2", "- at '/operator': additional properties 'replica' not allowed"),
        ("image.pullPolicy=Sometimes", "- at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
        ("webhook.secretRefs[0].env=not-a-variable,webhook.secretRefs[0].secretName=s,webhook.secretRefs[0].key=k", "- at '/webhook/secretRefs/0/env': 'not-a-variable' does not match pattern '^[A-Za-z_][A-Za-z0-9_]*$'"),
        ("config.controlNamespace=elsewhere", "- at '/config/controlNamespace': 'not' failed"),
        ("config.slot.maxActiveRuns=3", "- at '/config': additional properties 'slot' not allowed"),
        ("operator.kubeTransport=http3", "- at '/operator/kubeTransport': value must be one of 'automatic', 'curl'"),
    ])
    func schemaRejects(set: String, message: String) async throws {
        let result = try await Helm.run(["template", "codex", Helm.chart, "--set", set])
        #expect(result.status != 0)
        #expect(result.err.hasPrefix(Self.header + message), "\(result.err)")
    }

    /// The rendered config.yaml passes `codex-k8s validate-config`, and its effective
    /// configuration is exactly that of examples/config.yaml (every key, every default).
    @Test func renderedConfigIsValidAndComplete() async throws {
        let objects = try await Helm.template()
        let text = try #require(objects.object("ConfigMap", "codex-k8s-config")?[path: ["data", "config.yaml"]]?.stringValue)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chart-config-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let rendered = try await Command.run(Command.codexK8s, ["validate-config", file.path])
        #expect(rendered.status == 0, "\(rendered.out)\(rendered.err)")
        let example = try await Command.run(Command.codexK8s,
                                            ["validate-config", Helm.repository.appendingPathComponent("examples/config.yaml").path])
        #expect(example.status == 0, "\(example.err)")
        #expect(rendered.out == example.out)
        #expect(!rendered.out.isEmpty)
    }

    /// Values reach the config: a changed key and the webhook secret variables of secretRefs.
    @Test func valuesReachTheConfig() async throws {
        let objects = try await Helm.template(["config.slots.maxActiveRuns=7", "webhook.secretRefs[0].env=HOOK_A",
                                               "webhook.secretRefs[0].secretName=h", "webhook.secretRefs[0].key=k"],
                                              extra: ["--namespace", "agents"])
        let text = try #require(objects.object("ConfigMap", "codex-k8s-config")?[path: ["data", "config.yaml"]]?.stringValue)
        #expect(text.contains("maxActiveRuns: 7"))
        #expect(text.contains("controlNamespace: agents"))
        #expect(text.contains("secrets:\n  - env: HOOK_A\n"), "\(text)")
    }

    /// operator.kubeTransport reaches the operator's arguments (automatic by default).
    @Test func kubeTransportReachesTheOperator() async throws {
        for (set, expected) in [([String](), "--kube-transport=automatic"), (["operator.kubeTransport=curl"], "--kube-transport=curl")] {
            let objects = try await Helm.template(set)
            let args = try #require(objects.object("Deployment", "codex-k8s-operator")?[path: ["spec", "template", "spec", "containers"]]?
                .arrayValue?.first?[path: ["args"]]?.arrayValue)
            #expect(args.contains { $0.stringValue == expected }, "\(args)")
        }
    }
}
