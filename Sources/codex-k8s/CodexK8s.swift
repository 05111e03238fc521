import ArgumentParser

/// The single `codex-k8s` binary (SPEC §9). Subcommands are added as the layers land.
@main
struct CodexK8s: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codex-k8s",
        abstract: "Runs AI coding agents as Kubernetes Jobs in isolated, leased run namespaces.",
        version: CodexK8sVersion.current,
        subcommands: [Version.self, OperatorCommand.self, DevCommand.self, WebhookCommand.self, Events.self, Database.self,
                      ValidateConfig.self, CRDs.self, SweepCommand.self]
    )
}

/// `codex-k8s version`: prints the build version.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")
    func run() { print(CodexK8sVersion.current) }
}

enum CodexK8sVersion {
    static let current = "0.1.0-dev"
}
