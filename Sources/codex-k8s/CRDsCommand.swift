import ArgumentParser
import Runs

/// `codex-k8s crds`: prints the AgentRun and RunNamespace CRDs embedded in the binary
/// (identical to `CRDs/`), e.g. `codex-k8s crds | kubectl apply -f -`.
struct CRDs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crds",
        abstract: "Print the CustomResourceDefinitions (AgentRun, RunNamespace) as YAML.")

    @Flag(help: "Also print the agent ClusterRoles (codex-k8s-agent-full-env, codex-k8s-agent-code-only).")
    var withClusterRoles = false

    func run() {
        var text = EmbeddedManifests.crds
        if withClusterRoles { text += "---\n" + EmbeddedManifests.agentClusterRoles }
        print(text, terminator: "")
    }
}
