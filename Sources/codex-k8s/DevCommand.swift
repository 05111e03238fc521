import ArgumentParser
import Audit
import Foundation
import KubeClient
import KubeRuntime
import Logging
import Operator
import Prometheus
import Runs
import ServiceLifecycle

/// `codex-k8s dev [--port N] [--dir D] [--agent-delay 20s] [--config FILE] [--webhook-port N]
/// [--database-url URL | --audit local]`: the playground. An in-memory apiserver (KubeTestServer)
/// on 127.0.0.1 with the CRDs, agent ClusterRoles, control namespace and a placeholder credentials
/// Secret; a fake kubelet that runs every agent pod (Running, then Succeeded after `--agent-delay`;
/// see `DevKubelet` for `fail`/`hold`); the operator in-process, built as `codex-k8s operator`
/// builds it (self-check, leader election, the RunNamespace lease controller and the sweep,
/// `/healthz` `/readyz` `/metrics`), with a dev configuration (minute-scale leases and graces); and
/// the webhook adapter on 127.0.0.1 with a generated secret (`DevWebhook`; drive it with
/// `codex-k8s dev deliver`). Optionally an audit database (`DevAudit`). Prints a line containing
/// `ready` and how to drive it; SIGINT/SIGTERM stops everything and exits 0.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run a local playground: in-memory apiserver, fake kubelet, the operator and the webhook.",
        subcommands: [DevDeliver.self])

    @Option(help: "Port of the in-memory apiserver on 127.0.0.1 (0: any free port).")
    var port = 0

    @Option(help: "The playground directory: kubeconfig, webhook-secret, webhook-url, database-url (`dev deliver` reads it too).")
    var dir = ".codex-dev"

    @Option(help: "How long each agent pod runs before it succeeds (90s, 2m, ...).")
    var agentDelay = "20s"

    @Option(help: "An operator configuration file (default: the dev configuration, see `DevCommand.devConfig`).")
    var config: String?

    @Option(help: "host:port of the operator's /healthz, /readyz and /metrics.")
    var metricsBind = "127.0.0.1:0"

    @Option(help: "Port of the webhook adapter on 127.0.0.1 (0: any free port; the URL is written to <dir>/webhook-url).")
    var webhookPort = 0

    @Option(help: "Turn the audit trail on: PostgreSQL URL the operator and webhook write to.")
    var databaseURL: String?

    @Option(help: "`local`: start a throwaway PostgreSQL for the audit trail (needs postgres/initdb installed).")
    var audit: String?

    @Flag(help: "Log every reconcile (JSON on stdout); default: warnings only.")
    var verbose = false

    /// The playground's repository: `codex-k8s dev deliver` sends it by default, and the webhook
    /// allows only it (another `--repo` shows the adapter's 403).
    static let sampleRepository = "codex-k8s/playground"

    /// The defaults with leases, graces and the sweep short enough to watch a run namespace live
    /// and die in minutes: a 3-minute lease (a revise reusing the namespace renews it), 1-minute
    /// graces (superseded, code-only, closed issue), a sweep every 30 s, orphans deleted after 2
    /// minutes and finished AgentRuns after 15. Only `sampleRepository` may trigger runs.
    static var devConfig: OperatorConfig {
        var c = OperatorConfig.defaults
        c.namespaceTTL = ByRole(default: .minutes(3), byRole: [:])
        c.graces.supersededGrace = .minutes(1)
        c.graces.codeOnlyGrace = .minutes(1)
        c.graces.closeGrace = .minutes(1)
        c.graces.debugMaxRetention = .minutes(10)
        c.sweep.interval = .seconds(30)
        c.sweep.orphanGrace = .minutes(2)
        c.sweep.finishedRunRetention = .minutes(15)
        c.webhook.allowedRepositories = [sampleRepository]
        return c
    }

    func run() async throws {
        let level: Logger.Level = verbose ? .info : .warning
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "codex-k8s.dev")
        guard let delay = RunDuration.parse(agentDelay) else {
            throw ValidationError("--agent-delay must be a duration like 20s or 2m, got \(agentDelay)")
        }
        var settings = Self.devConfig
        if let config { settings = try OperatorCommand.loadConfig(config) }
        let (metricsHost, metricsPort) = try OperatorCommand.parseBind(metricsBind)
        let files = PlaygroundFiles(directory: dir)
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let database: DevAudit
        do {
            database = try DevAudit.start(databaseURL: databaseURL, audit: audit, files: files, metricsFactory: factory, logger: logger)
        } catch let error as PlaygroundError {
            throw ValidationError(error.description)
        }

        let cluster: DevCluster
        do {
            cluster = try await DevCluster.start(port: port, directory: dir, controlNamespace: settings.controlNamespace)
            try await StartupSelfCheck.run(client: cluster.client, controlNamespace: settings.controlNamespace)
        } catch {
            await database.stop(logger: logger)
            throw error
        }
        let client = cluster.client
        let kubelet = DevKubelet(server: cluster.server, client: client, controlNamespace: settings.controlNamespace,
                                 agentDelay: .seconds(delay.seconds), logger: logger)
        let kubeletTask = Task { await kubelet.run() }
        defer { kubeletTask.cancel() }

        let recorder = EventRecorder(sink: KubeClientEventSink(client: client), reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: "codex-k8s-dev")
        let events = KubeEventLogSink(publisher: RecorderEventPublisher(recorder: recorder), logger: logger)
        let auditSink: any AuditSink = database.sink.map { AuditSinks([events, $0]) } ?? events
        let runtime = OperatorRuntime(client: client, config: settings, audit: auditSink, metricsFactory: factory, logger: logger)
        let leases = NamespaceLeaseRuntime(client: client, config: settings, audit: auditSink, metricsFactory: factory, logger: logger,
                                           sharing: runtime)
        let elector = LeaderElector(
            config: LeaderElectionConfig(namespace: settings.controlNamespace, name: "codex-k8s-operator", identity: "codex-k8s-dev"),
            client: KubeClientLeaseClient(client: client))
        let ready = DevReadyLine { [files] metrics, webhook in
            Self.banner(kubeconfig: cluster.kubeconfigPath, server: cluster.server.httpsURL ?? cluster.server.url, delay: delay,
                        webhook: DevWebhook.url(port: webhook), files: files, databaseURLFile: database.urlFile)
                + "  operator metrics: http://\(metricsHost):\(metrics)/metrics\n"
        }
        let manager = Manager(configuration: ManagerConfiguration(host: metricsHost, port: metricsPort),
                              controllers: [runtime.controller, leases.controller,
                                            SweepService(leases: leases, audit: auditSink, metricsFactory: factory, logger: logger)],
                              elector: elector, registry: registry, logger: logger,
                              onServerRunning: { port in ready.metricsListening(on: port) })
        let webhookAudit: any AuditSink = database.sink.map { AuditSinks([KubeEventLogSink(publisher: nil, logger: logger), $0]) }
            ?? KubeEventLogSink(publisher: nil, logger: logger)
        let group: ServiceGroup
        do {
            let webhook = try DevWebhook.service(settings: settings, client: client, port: webhookPort, files: files, audit: webhookAudit,
                                                 logger: logger, onListening: { ready.webhookListening(on: $0) })
            group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: manager), .init(service: webhook)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        } catch {
            try? await cluster.server.stop()
            await database.stop(logger: logger)
            throw error
        }
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        try? await cluster.server.stop()
        await database.stop(logger: logger)
        if let failure { throw failure }
        Self.say("codex-k8s dev: stopped\n")
    }

    /// What the newcomer reads: the kubeconfig and the three commands to drive the playground.
    static func banner(kubeconfig: String, server: String, delay: RunDuration, webhook: String, files: PlaygroundFiles,
                       databaseURLFile: String?) -> String {
        let absolute = URL(fileURLWithPath: kubeconfig).standardizedFileURL.path
        var text = """
        codex-k8s dev: ready — apiserver \(server), operator running, webhook \(webhook), agent pods succeed after \(delay)
          export KUBECONFIG=\(absolute)
          kubectl apply -f examples/agentrun.yaml
          kubectl get agentruns -w
          codex-k8s dev deliver issues/labeled --label run:dev --issue 42 --dir \(files.directory.path)
          (annotate an AgentRun \(DevKubelet.outcomeAnnotation)=fail or =hold before its pod runs out; Ctrl-C stops)
          webhook secret: \(files.webhookSecret)

        """
        if let databaseURLFile { text += "  audit trail: codex-k8s events --follow --database-url-file \(databaseURLFile)\n" }
        return text
    }

    /// Writes to stdout unbuffered (a pipe must see the ready line at once).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
