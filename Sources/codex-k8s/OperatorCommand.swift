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

/// `codex-k8s operator [--config FILE] [--kubeconfig F] [--namespace codex-system] [--metrics-bind ADDR] [--kube-transport automatic|curl]`:
/// the AgentRun operator (SPEC §5, §9). Runs the start-up self-check (§7) and refuses to start on a
/// problem; then leader election on Lease `codex-k8s-operator` (15s/10s/2s), `/healthz`, `/readyz`
/// and `/metrics` on `--metrics-bind`, JSON logs on stdout, and a graceful stop on SIGTERM/SIGINT
/// (in-flight reconciles finish, the Lease is released).
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Run the AgentRun operator (leader-elected).")

    @Option(help: "The configuration file (default: every key's default).")
    var config: String?

    @Option(help: "A kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else in-cluster).")
    var kubeconfig: String?

    @Option(help: "The control namespace: AgentRuns, the credentials Secret and the Lease (overrides the config).")
    var namespace: String?

    @Option(help: "host:port of /healthz, /readyz and /metrics.")
    var metricsBind = "0.0.0.0:8080"

    @Option(help: "Leader-election identity (default: the host name).")
    var identity: String?

    @Flag(help: "Skip the start-up self-check (not for production).")
    var skipSelfCheck = false

    @Option(help: "File holding the audit database URL (default: the CODEX_K8S_DATABASE_URL environment variable; neither: no database).")
    var databaseURLFile: String?

    @Option(help: "The API server's HTTP client: automatic (our HTTP/2 client for https, libcurl otherwise) or curl (libcurl for everything).")
    var kubeTransport: KubeTransportChoice = .automatic

    @Option(help: "Re-queue every AgentRun this often (30s, 10m; default: never — watch events and timers drive reconciles).")
    var resyncPeriod: String?

    func run() async throws {
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        let logger = Logger(label: "codex-k8s.operator")
        Self.tuneMalloc(logger: logger)
        var settings = OperatorConfig.defaults
        if let config {
            guard let data = FileManager.default.contents(atPath: config), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(config): cannot read the file")
            }
            switch OperatorConfig.load(text, file: config) {
            case .success(let c): settings = c
            case .failure(let errors): throw ValidationError("\(errors)")
            }
        }
        if let namespace { settings.controlNamespace = namespace }
        let parts = metricsBind.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last!) else {
            throw ValidationError("--metrics-bind must be host:port, got \(metricsBind)")
        }
        let host = parts.dropLast().joined(separator: ":")
        var client: KubeClient
        if let kubeconfig {
            client = try KubeClient.load(kubeconfigPath: kubeconfig)
        } else {
            client = try KubeClient.fromEnvironment()
        }
        if kubeTransport != client.config.transport {
            var forced = client.config
            forced.transport = kubeTransport
            client = KubeClient(config: forced)
        }
        if !skipSelfCheck {
            do {
                try await StartupSelfCheck.run(client: client, controlNamespace: settings.controlNamespace)
            } catch let failure as SelfCheckFailure {
                logger.critical("\(failure.description)")
                FileHandle.standardError.write(Data("codex-k8s operator: \(failure.description)\n".utf8))
                throw ExitCode.failure
            }
        }
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let recorder = EventRecorder(sink: KubeClientEventSink(client: client), reportingController: "codex-k8s.dev/operator",
                                     reportingInstance: identity ?? ProcessInfo.processInfo.hostName)
        let (audit, database) = try Self.auditSinks(recorder: recorder, databaseURLFile: databaseURLFile, metricsFactory: factory,
                                                    logger: logger)
        let runtime = OperatorRuntime(client: client, config: settings, audit: audit, metricsFactory: factory, logger: logger)
        let elector = LeaderElector(
            config: LeaderElectionConfig(namespace: settings.controlNamespace, name: "codex-k8s-operator",
                                         identity: identity ?? ProcessInfo.processInfo.hostName),
            client: KubeClientLeaseClient(client: client))
        let leases = NamespaceLeaseRuntime(client: client, config: settings, audit: audit, metricsFactory: factory, logger: logger,
                                           sharing: runtime)
        let reporting = Self.reporter(settings: settings, client: client, metricsFactory: factory, logger: logger,
                                      sharing: (runtime.controller, leases.controller))
        let manager = Manager(configuration: ManagerConfiguration(host: host, port: port, taskExecutor: H2Loop.shared),
                              controllers: [runtime.controller, leases.controller,
                                            SweepService(leases: leases, audit: audit, metricsFactory: factory, logger: logger)]
                                  + (reporting?.controllers ?? []),
                              elector: elector, registry: registry, logger: logger,
                              onServerRunning: { port in
                                  logger.info("serving /healthz /readyz /metrics", metadata: ["port": "\(port)"])
                              })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: manager)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("operator starting", metadata: ["namespace": "\(settings.controlNamespace)", "metrics": "\(metricsBind)"])
        let resync = try Self.resyncPeriod(resyncPeriod).map { period in Task { await Self.resync(runtime, every: period) } }
        defer { resync?.cancel() }
        let trim = Task { await Self.trimMalloc(after: runtime, leases, logger: logger) }
        defer { trim.cancel() }
        try await group.run()
        if let database, await database.shutdown(timeout: .seconds(5)) > 0 {
            logger.warning("audit writes not stored in PostgreSQL before the deadline", metadata: ["database": "\(database.url)"])
        }
    }
}
