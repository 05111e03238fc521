import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import YAML

/// examples/agentrun.yaml is a valid AgentRun: the apiserver (with the CRDs of CRDs/ installed)
/// accepts it unchanged, and Runs' own validation finds nothing. Runs unchanged against a real
/// cluster when CODEX_K8S_TEST_KUBECONFIG is set.
struct ExampleAgentRunTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/agentrun.yaml").path

    @Test func exampleIsAccepted() async throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        var run = try YAMLNode.parse(text, file: Self.path).jsonValue(file: Self.path)
        #expect(run["apiVersion"] == "codex-k8s.dev/v1alpha1" && run["kind"] == "AgentRun")
        try await CRDTarget.with { t in
            // The test's copy of the group (see CRDTarget); the rest of the example is sent as written.
            run.set(path: ["apiVersion"], to: .string(t.agentRuns.apiVersion))
            let created = try await t.client.create(t.agentRuns, namespace: t.namespace, run)
            var expected = try #require(run["spec"])
            expected.set(path: ["revise"], to: false)
            expected.set(path: ["cancel"], to: false)
            #expect(created["spec"] == expected, "nothing pruned or changed but the defaults")
            let decoded = try JSONValueDecoder().decode(AgentRun.self, from: created)
            #expect(RunValidation.validate(decoded).isEmpty)
        }
    }
}
