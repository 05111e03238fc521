import Foundation
import KubeAPI
import Runs
import Testing

extension EndToEndTests {
    /// What an agent can reach (SPEC §7), asked of the API server about the ServiceAccount the
    /// operator made in a real run namespace.
    @Suite struct AgentAccessTests {
        /// (8) The agent ServiceAccount is denied every verb on Secrets, even in its own namespace,
        /// while it may work with pods there (full-env).
        @Test func agentServiceAccountIsDeniedSecrets() async throws {
            try await Cluster.with(Cluster.Options(operators: 1)) { c in
                let name = try await c.labelIssue(31)
                let pod = try await c.agentPod(of: name)
                let ns = pod.namespace
                let user = "system:serviceaccount:\(ns):codex-agent"
                func allowed(_ verb: String, _ resource: String, in namespace: String) async throws -> Bool {
                    let review = """
                        {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"\(user)",
                         "groups":["system:serviceaccounts","system:serviceaccounts:\(ns)","system:authenticated"],
                         "resourceAttributes":{"namespace":"\(namespace)","verb":"\(verb)","resource":"\(resource)"}}}
                        """
                    let file = c.directory.appendingPathComponent("sar-\(UUID().uuidString).json").path
                    try review.write(toFile: file, atomically: true, encoding: .utf8)
                    let out = try await c.kubectl.must(["create", "-f", file, "-o", "jsonpath={.status.allowed}"])
                    return out == "true"
                }
                for verb in ["get", "list", "watch", "create", "update", "delete"] {
                    #expect(try await allowed(verb, "secrets", in: ns) == false, "\(verb) secrets in \(ns)")
                    #expect(try await allowed(verb, "secrets", in: Cluster.namespace) == false, "\(verb) secrets in the control namespace")
                }
                #expect(try await allowed("get", "pods", in: ns), "the control: full-env agents may read pods")

                // And with the agent's own token, as the agent pod would use it.
                let token = try await c.kubectl.must(["create", "token", "codex-agent", "-n", ns])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let agent = try c.server.writeKubeconfig(to: c.directory.appendingPathComponent("agent.kubeconfig").path,
                                                         namespace: ns, token: token)
                let secrets = try await Kubectl(kubeconfig: agent).run(["get", "secrets", "-n", ns])
                #expect(secrets.status != 0 && secrets.err.contains("Forbidden")
                        && secrets.err.contains("cannot list resource \"secrets\""), "\(secrets.out)\(secrets.err)")
                let credentials = try await Kubectl(kubeconfig: agent).run(["get", "secret", "codex-agent-credentials", "-n", ns])
                #expect(credentials.status != 0 && credentials.err.contains("Forbidden"), "\(credentials.err)")
                let pods = try await Kubectl(kubeconfig: agent).run(["get", "pods", "-n", ns, "-o", "name"])
                #expect(pods.status == 0 && pods.out.contains("pod/\(pod.pod)"), "\(pods.out)\(pods.err)")
            }
        }
    }
}
