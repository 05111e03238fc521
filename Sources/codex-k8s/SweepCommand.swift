import ArgumentParser
import Audit
import Foundation
import KubeClient
import KubeRuntime
import Logging
import Operator
import Runs

/// `codex-k8s sweep [--kubeconfig F] [--namespace codex-system] [--config FILE] [--dry-run] [-o wide|json]`:
/// one sweep now (SPEC §6), the same decisions as the operator's periodic sweep — orphans after
/// `sweep.orphanGrace`, leases that ended, namespaces stuck Terminating (reported, never forced),
/// finished AgentRuns after `sweep.finishedRunRetention` — printed as namespace, reason, age,
/// lease and action. Reads one paginated list of managed Namespaces, RunNamespaces and AgentRuns;
/// with `--dry-run` it writes nothing at all. Exits 1 when a write failed.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Delete orphaned and expired run namespaces and old finished AgentRuns (once).")

    @Option(help: "A kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else in-cluster).")
    var kubeconfig: String?

    @Option(help: "The control namespace (overrides the config).")
    var namespace: String?

    @Option(help: "The operator configuration file (default: every key's default).")
    var config: String?

    @Flag(help: "Print what would be done; write nothing.")
    var dryRun = false

    @Option(name: .shortAndLong, help: "Output: table (default), wide or json.")
    var output: String = "table"

    func validate() throws {
        if SweepTable.Format(rawValue: output) == nil {
            throw ValidationError("--output must be one of table, wide, json; got \(output)")
        }
    }

    func run() async throws {
        // Logs (warnings and errors only) go to stderr as JSON: stdout is the report.
        let logger = Logger(label: "codex-k8s.sweep") {
            JSONLogHandler(label: $0, level: .warning, output: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        }
        var settings = OperatorConfig.defaults
        if let config { settings = try OperatorCommand.loadConfig(config) }
        if let namespace { settings.controlNamespace = namespace }
        let client = try kubeconfig.map { try KubeClient.load(kubeconfigPath: $0) } ?? KubeClient.fromEnvironment()
        let audit = KubeEventLogSink(publisher: RecorderEventPublisher(recorder: EventRecorder(
            sink: KubeClientEventSink(client: client), reportingController: "codex-k8s.dev/sweep",
            reportingInstance: ProcessInfo.processInfo.hostName)), logger: logger)
        let report = try await Sweeper.once(client: client, config: settings, audit: audit, dryRun: dryRun, logger: logger)
        print(SweepTable.render(report, format: SweepTable.Format(rawValue: output) ?? .table), terminator: "")
        if !report.succeeded { throw ExitCode.failure }
    }
}
