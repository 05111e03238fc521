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

/// `codex-k8s dev [--port N] [--dir D] [--agent-delay 20s] [--config FILE]`: the playground. An
/// in-memory apiserver (KubeTestServer) on 127.0.0.1 with the CRDs, agent ClusterRoles, control
/// namespace and a placeholder credentials Secret; a fake kubelet that runs every agent pod
/// (Running, then Succeeded after `--agent-delay`; see `DevKubelet` for `fail`/`hold`); and the
/// operator in-process, built exactly as `codex-k8s operator` builds it (self-check, leader
/// election, `/healthz` `/readyz` `/metrics`), with a dev configuration (short namespace TTLs).
/// Prints a line containing `ready` and how to drive it with kubectl; SIGINT/SIGTERM stops
/// everything and exits 0.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run a local playground: in-memory apiserver, fake kubelet and the operator.")

    @Option(help: "Port of the in-memory apiserver on 127.0.0.1 (0: any free port).")
    var port = 0

    @Option(help: "Where the kubeconfig is written.")
    var dir = ".codex-dev"

    @Option(help: "How long each agent pod runs before it succeeds (90s, 2m, ...).")
    var agentDelay = "20s"

    @Option(help: "An operator configuration file (default: the dev configuration, see `DevCommand.devConfig`).")
    var config: String?

    @Option(help: "host:port of the operator's /healthz, /readyz and /metrics.")
    var metricsBind = "127.0.0.1:0"

    @Flag(help: "Log every reconcile (JSON on stdout); default: warnings only.")
    var verbose = false

    /// The defaults with namespace leases short enough to watch them expire.
    static var devConfig: OperatorConfig {
        var c = OperatorConfig.defaults
        c.namespaceTTL = ByRole(default: .minutes(10), byRole: [:])
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

        let cluster = try await DevCluster.start(port: port, directory: dir, controlNamespace: settings.controlNamespace)
        let client = cluster.client
        do {
            try await StartupSelfCheck.run(client: client, controlNamespace: settings.controlNamespace)
        } catch {
            try? await cluster.server.stop()
            throw error
        }
        let kubelet = DevKubelet(server: cluster.server, client: client, controlNamespace: settings.controlNamespace,
                                 agentDelay: .seconds(delay.seconds), logger: logger)
        let kubeletTask = Task { await kubelet.run() }

        let registry = PrometheusCollectorRegistry()
        let recorder = EventRecorder(sink: KubeClientEventSink(client: client), reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: "codex-k8s-dev")
        let audit = KubeEventLogSink(publisher: RecorderEventPublisher(recorder: recorder), logger: logger)
        let runtime = OperatorRuntime(client: client, config: settings, audit: audit,
                                      metricsFactory: PrometheusMetricsFactory(registry: registry), logger: logger)
        let elector = LeaderElector(
            config: LeaderElectionConfig(namespace: settings.controlNamespace, name: "codex-k8s-operator", identity: "codex-k8s-dev"),
            client: KubeClientLeaseClient(client: client))
        let banner = Self.banner(kubeconfig: cluster.kubeconfigPath, server: cluster.server.httpsURL ?? cluster.server.url,
                                 delay: delay)
        let manager = Manager(configuration: ManagerConfiguration(host: metricsHost, port: metricsPort), controllers: [runtime.controller],
                              elector: elector, registry: registry, logger: logger,
                              onServerRunning: { port in Self.say(banner + "  operator metrics: http://\(metricsHost):\(port)/metrics\n") })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: manager)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            kubeletTask.cancel()
            try? await cluster.server.stop()
            throw error
        }
        kubeletTask.cancel()
        try? await cluster.server.stop()
        Self.say("codex-k8s dev: stopped\n")
    }

    /// What the newcomer reads: the kubeconfig and the three commands to drive the playground.
    static func banner(kubeconfig: String, server: String, delay: RunDuration) -> String {
        let absolute = URL(fileURLWithPath: kubeconfig).standardizedFileURL.path
        return """
        codex-k8s dev: ready — apiserver \(server), operator running, agent pods succeed after \(delay)
          export KUBECONFIG=\(absolute)
          kubectl apply -f examples/agentrun.yaml
          kubectl get agentruns -w
          (annotate an AgentRun \(DevKubelet.outcomeAnnotation)=fail or =hold before its pod runs out; Ctrl-C stops)

        """
    }

    /// Writes to stdout unbuffered (a pipe must see the ready line at once).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
