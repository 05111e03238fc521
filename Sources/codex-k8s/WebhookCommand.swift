import ArgumentParser
import Audit
import Foundation
import KubeClient
import KubeRuntime
import Logging
import Runs
import ServiceLifecycle
import Webhook

/// `codex-k8s webhook [--config FILE] [--listen 0.0.0.0:8080] [--kubeconfig F] [--namespace codex-system]`:
/// the GitHub webhook adapter (SPEC §4). Refuses to start without a readable secret.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Serve POST /webhooks/github: turn signed GitHub deliveries into AgentRuns.")

    @Option(help: "Configuration file (YAML); without it the defaults apply.")
    var config: String?

    @Option(help: "Address to listen on, host:port.")
    var listen = "0.0.0.0:8080"

    @Option(help: "Kubeconfig file (default: KUBECONFIG, in-cluster, ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The control namespace of the AgentRuns (default: controlNamespace of the configuration).")
    var namespace: String?

    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("codex-k8s webhook: \(message)\n".utf8))
        return ExitCode.failure
    }

    func run() async throws {
        var settings = OperatorConfig.defaults
        if let config {
            guard let data = FileManager.default.contents(atPath: config), let text = String(data: data, encoding: .utf8) else {
                throw fail("\(config): cannot read the file")
            }
            switch OperatorConfig.load(text, file: config) {
            case .success(let loaded): settings = loaded
            case .failure(let errors): throw fail(errors.description)
            }
        }
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last!), (0...65535).contains(port) else {
            throw fail("--listen must be host:port, got \(listen)")
        }
        let host = parts.dropLast().joined(separator: ":")
        let secrets = WebhookSecrets(sources: settings.webhook.secrets)
        guard !secrets.isEmpty else {
            throw fail("no webhook secret configured: set CODEX_K8S_WEBHOOK_SECRET or list files under webhook.secrets (\(secrets))")
        }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        let logger = Logger(label: "codex-k8s.webhook")
        let client: KubeClient
        do {
            client = try KubeClient(config: KubeClientConfig.fromEnvironment(kubeconfigPath: kubeconfig))
        } catch {
            throw fail("kubeconfig: \(error)")
        }
        var sinks: [any AuditSink] = [KubeEventLogSink(publisher: nil, logger: logger)]
        if let url = try? DatabaseURL.load(file: nil, environment: ProcessInfo.processInfo.environment) {
            sinks.append(PostgresAuditSink(url: url, logger: logger))
        }
        let service = WebhookService(config: settings, client: client, namespace: namespace ?? settings.controlNamespace,
                                     secrets: secrets, audit: AuditSinks(sinks), host: host.isEmpty ? "0.0.0.0" : host, port: port,
                                     logger: logger, onServerRunning: { port in
                                         logger.info("serving /webhooks/github /healthz /readyz /metrics", metadata: ["port": "\(port)"])
                                     })
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
