import Audit
import Foundation
import KubeClient
import KubeRuntime
import Logging
import Runs
import Webhook

/// The adapter process of the end-to-end benchmark, a mode of this executable.
enum ChildModes {
    static let secretVariable = "CODEX_K8S_WEBHOOK_SECRET"

    /// `adapter KUBECONFIG PORT`: the webhook service wired like `codex-k8s webhook --kubeconfig F`
    /// without a database — HTTPS to the apiserver, JSON logs on stdout, audit records through
    /// `KubeEventLogSink`, the secret from `CODEX_K8S_WEBHOOK_SECRET`, default configuration,
    /// namespace `codex-system`.
    static func adapter(kubeconfig: String, port: Int) async throws {
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        let logger = Logger(label: "codex-k8s.webhook")
        let client = try KubeClient(config: KubeClientConfig.fromEnvironment(kubeconfigPath: kubeconfig))
        let secrets = WebhookSecrets(sources: OperatorConfig.defaults.webhook.secrets)
        guard !secrets.isEmpty else { throw EndToEndBenchmark.Failure(description: "adapter: no secret in \(secretVariable)") }
        let service = WebhookService(config: OperatorConfig.defaults, client: client, namespace: EndToEndBenchmark.namespace,
                                     secrets: secrets, audit: AuditSinks([KubeEventLogSink(publisher: nil, logger: logger)]),
                                     host: "127.0.0.1", port: port, logger: logger)
        try await service.run()
    }
}

/// `/proc/<pid>` readings of a child process.
struct ProcStats {
    let pid: Int32

    /// Resident set size in KiB.
    var residentKiB: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") { return Int(line.filter(\.isNumber)) ?? -1 }
        return -1
    }

    /// User + system CPU seconds so far.
    var cpuSeconds: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) … utime(11) stime(12).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
