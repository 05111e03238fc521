import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI
import KubeClient
import KubeTestServer
import PostgresTestServer
import Runs
import Synchronization
import TestSupport
import Testing

/// One end-to-end installation, as a platform team would run it, in miniature:
///
/// - a KubeTestServer (HTTPS, RBAC on) started by the test;
/// - `helm install` of `charts/codex-k8s` into it (release `codex`, namespace `codex-system`) with
///   the real helm, then the Secrets the chart refers to, created with the real kubectl;
/// - the `codex-k8s` binary as processes, each with a kubeconfig holding a TokenRequest token
///   (`kubectl create token`) of the ServiceAccount the chart made for it, so the chart's RBAC is
///   what they run with: `operators` replicas of `codex-k8s operator` (leader election on Lease
///   `codex-k8s-operator`) and one `codex-k8s webhook`, all reading the ConfigMap the chart rendered;
/// - with PostgreSQL available, an audit database both write to, followed with `codex-k8s events
///   --follow` (`audit`); otherwise `audit` is nil and `auditSkipped` says why.
///
/// No kubelet: tests drive agent pods by patching their status, as envtest does.
/// `Cluster.with` stops every process (SIGKILL) and the server however the test ends.
final class Cluster: Sendable {
    static let namespace = "codex-system"
    static let repository = "acme/shop"

    struct Options: Sendable {
        /// `helm install --set` values (e.g. `config.namespaceTTL.byRole.dev=5s`).
        var values: [String] = []
        /// Operator replicas started as processes.
        var operators = 2
    }

    let server: KubeTestServer
    let directory: URL
    let admin: KubeClient
    let adminKubeconfig: String
    let webhookURL: String
    let webhookSecret: String
    let audit: AuditTrail?
    let auditSkipped: String?
    /// The operator processes by leader-election identity.
    let operators: [String: ChildProcess]
    let processes: ProcessGroup

    private init(server: KubeTestServer, directory: URL, admin: KubeClient, adminKubeconfig: String, webhookURL: String,
                 webhookSecret: String, audit: AuditTrail?, auditSkipped: String?, operators: [String: ChildProcess],
                 processes: ProcessGroup) {
        self.server = server
        self.directory = directory
        self.admin = admin
        self.adminKubeconfig = adminKubeconfig
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.audit = audit
        self.auditSkipped = auditSkipped
        self.operators = operators
        self.processes = processes
    }

    /// kubectl and helm, from the repository's tools/bin or PATH (nil when missing).
    static let kubectl: String? = Command.kubectl
    static let helm: String? = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [repo.appendingPathComponent("tools/bin/helm").path]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/helm" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let chart = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("charts/codex-k8s").path

    /// Sets up a cluster, runs `body`, and always tears everything down (processes first).
    static func with(_ options: Options = Options(), _ body: (Cluster) async throws -> Void) async throws {
        let processes = ProcessGroup()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let server = try await KubeTestServer.start(tls: try .selfSigned())
        do {
            let cluster = try await start(options, server: server, directory: dir, processes: processes)
            if let skipped = cluster.auditSkipped { print("EndToEndTests: \(skipped)") }
            try await body(cluster)
        } catch {
            print("EndToEndTests: failed (\(error)); process output:\n\(processes.tails())")
            await tearDown(processes, server, dir)
            throw error
        }
        await tearDown(processes, server, dir)
    }

    private static func tearDown(_ processes: ProcessGroup, _ server: KubeTestServer, _ dir: URL) async {
        processes.killAll()
        try? await server.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    private static func start(_ options: Options, server: KubeTestServer, directory dir: URL,
                              processes: ProcessGroup) async throws -> Cluster {
        let adminKubeconfig = try server.writeKubeconfig(to: dir.appendingPathComponent("admin.kubeconfig").path, namespace: namespace)
        let kubectl = Kubectl(kubeconfig: adminKubeconfig)

        // helm install, as §1 tells the platform engineer (HOME and helm's directories kept apart).
        let helmHome = dir.appendingPathComponent("helm").path
        let install = try await Command.run(helm ?? "helm", ["install", "codex", chart, "--kubeconfig", adminKubeconfig,
                                                             "--namespace", namespace, "--create-namespace",
                                                             "--set", "database.secretName=codex-k8s-database"]
                                                + options.values.flatMap { ["--set", $0] },
                                            environment: ["HOME": helmHome, "HELM_CACHE_HOME": helmHome + "/cache",
                                                          "HELM_CONFIG_HOME": helmHome + "/config", "HELM_DATA_HOME": helmHome + "/data"])
        guard install.status == 0 else { throw E2EFailure("helm install: \(install.out)\(install.err)") }

        // The Secrets the chart's values name (docs/operations.md): webhook secret, agent credentials, database URL.
        let webhookSecret = "e2e-\(UUID().uuidString)"
        var audit: AuditTrail?
        var auditSkipped: String?
        switch E2EPostgresTrait.availability {
        case .server(let postgres)?:
            audit = try await AuditTrail.start(on: postgres)
            if let audit { processes.add(audit.feed, name: "events --follow") }
        case .unavailable(let reason)?: auditSkipped = reason
        case nil: auditSkipped = "audit checks skipped: the suite has no .postgres trait"
        }
        try await kubectl.must(["create", "secret", "generic", "codex-k8s-webhook", "--from-literal=secret=\(webhookSecret)"])
        try await kubectl.must(["create", "secret", "generic", "codex-agent-credentials",
                                "--from-literal=openai-api-key=sk-e2e-not-a-key", "--from-literal=github-token=ghp-e2e-not-a-token"])
        if let audit { try await kubectl.must(["create", "secret", "generic", "codex-k8s-database", "--from-literal=url=\(audit.url)"]) }

        // What the pods would mount: the rendered configuration and a token of their ServiceAccount.
        let config = try await kubectl.must(["get", "configmap", "codex-k8s-config", "-o", "jsonpath={.data.config\\.yaml}"])
        let configPath = dir.appendingPathComponent("config.yaml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        func kubeconfig(for serviceAccount: String) async throws -> String {
            let token = try await kubectl.must(["create", "token", serviceAccount, "--duration=2h"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return try server.writeKubeconfig(to: dir.appendingPathComponent("\(serviceAccount).kubeconfig").path,
                                              namespace: namespace, token: token)
        }
        var environment = ["CODEX_K8S_DATABASE_URL": audit?.url ?? ""]

        let webhookKubeconfig = try await kubeconfig(for: "codex-k8s-webhook")
        environment["CODEX_K8S_WEBHOOK_SECRET"] = webhookSecret
        let webhook = try await processes.start(name: "webhook", ["webhook", "--config", configPath, "--namespace", namespace,
                                                             "--listen", "127.0.0.1:0", "--kubeconfig", webhookKubeconfig],
                                          environment: environment, until: "serving /webhooks/github")
        environment["CODEX_K8S_WEBHOOK_SECRET"] = nil
        guard let port = webhook.ready.flatMap(Self.port(inLogLine:)) else {
            throw E2EFailure("the webhook did not start serving; stderr: \(webhook.child.errorText)")
        }
        let webhookBase = "http://127.0.0.1:\(port)"
        try await eventually("the webhook's /readyz", seconds: 120) { await Self.httpStatus("\(webhookBase)/readyz") == 200 }

        let operatorKubeconfig = try await kubeconfig(for: "codex-k8s-operator")
        var operators: [String: ChildProcess] = [:]
        for i in 0..<options.operators {
            let identity = "codex-k8s-operator-e2e-\(i)"
            let op = try await processes.start(name: identity, ["operator", "--config", configPath, "--namespace", namespace,
                                                          "--identity", identity, "--metrics-bind", "127.0.0.1:0",
                                                          "--kubeconfig", operatorKubeconfig],
                                         environment: environment, until: nil)
            operators[identity] = op.child
        }
        let admin = try KubeClient.load(kubeconfigPath: adminKubeconfig)
        let cluster = Cluster(server: server, directory: dir, admin: admin, adminKubeconfig: adminKubeconfig,
                              webhookURL: "\(webhookBase)/webhooks/github", webhookSecret: webhookSecret,
                              audit: audit, auditSkipped: auditSkipped, operators: operators, processes: processes)
        if options.operators > 0 { _ = try await cluster.leader() }
        return cluster
    }

    /// The `port` field of a JSON log line.
    static func port(inLogLine line: String) -> Int? {
        guard let json = try? JSONValue(parsing: Array(line.utf8)) else { return nil }
        return json["port"]?.stringValue.flatMap(Int.init) ?? json["port"]?.intValue.map { Int($0) }
    }

    static func httpStatus(_ url: String) async -> Int? {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: url)!) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    var kubectl: Kubectl { Kubectl(kubeconfig: adminKubeconfig) }

    /// The webhook's `/metrics` (Prometheus text).
    func webhookMetrics() async throws -> String {
        let url = URL(string: webhookURL.replacingOccurrences(of: "/webhooks/github", with: "/metrics"))!
        return String(decoding: try await URLSession.shared.data(from: url).0, as: UTF8.self)
    }

    /// Sends a signed delivery to the webhook process.
    func deliver(_ delivery: GitHubDelivery) async throws -> GitHubDelivery.Answer {
        try await delivery.send(to: webhookURL, secret: webhookSecret)
    }

    /// The identity holding Lease `codex-k8s-operator` (waits until one of our replicas holds it).
    func leader(excluding gone: String? = nil) async throws -> String {
        let holder = LastSeen<String>()
        try await waitUntil("an operator replica leads", watching: Lease.resource, namespace: Self.namespace) {
            let lease = try? await self.admin.get(Lease.self, namespace: Self.namespace, name: "codex-k8s-operator")
            guard let identity = lease?.spec?.holderIdentity, self.operators[identity] != nil, identity != gone else { return false }
            holder.set(identity)
            return true
        }
        return holder.value!
    }
}

/// The processes of one cluster: started with their stdout drained (the last lines kept for
/// failure messages), and all killed together.
final class ProcessGroup: Sendable {
    final class Tail: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) {
            lines.withLock { $0.append(line); if $0.count > 40 { $0.removeFirst($0.count - 40) } }
        }
    }

    private let children = Mutex<[(name: String, child: ChildProcess, tail: Tail)]>([])

    /// Starts `codex-k8s arguments` and drains its stdout; with `until`, returns the first stdout
    /// line containing it (waiting ≤ 120 s; nil if stdout ended first).
    func start(name: String, _ arguments: [String], environment: [String: String],
               until: String?) async throws -> (child: ChildProcess, ready: String?) {
        let child = try ChildProcess(codexK8s: arguments, environment: environment)
        try child.killWithParent()
        let tail = Tail()
        children.withLock { $0.append((name, child, tail)) }
        let waiter = Mutex<(seen: String??, continuation: CheckedContinuation<String?, Never>?)>((nil, nil))
        @Sendable func signal(_ line: String?) {
            let c = waiter.withLock { w -> CheckedContinuation<String?, Never>? in
                guard w.seen == nil else { return nil }
                w.seen = .some(line)
                defer { w.continuation = nil }
                return w.continuation
            }
            c?.resume(returning: line)
        }
        Task {
            await child.forEachLine { line in
                tail.append(line)
                if let until, line.contains(until) { signal(line) }
            }
            signal(nil)
        }
        guard until != nil else { return (child, nil) }
        let ready = try await within(120, "\(name) to log \(until!)") {
            await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
                let seen = waiter.withLock { w -> String?? in
                    if let seen = w.seen { return .some(seen) }
                    w.continuation = c
                    return .none
                }
                if let seen { c.resume(returning: seen) }
            }
        }
        return (child, ready)
    }

    /// Adds a process someone else drains, so it is killed with the others.
    func add(_ child: ChildProcess, name: String) {
        children.withLock { $0.append((name, child, Tail())) }
    }

    func killAll() { for c in children.withLock({ $0 }) { c.child.kill() } }

    /// The last stdout lines and the stderr of every process.
    func tails() -> String {
        children.withLock { $0 }.map { c in
            "--- \(c.name) (pid \(c.child.pid)) stdout:\n" + c.tail.lines.withLock { $0 }.joined(separator: "\n")
                + "\n--- \(c.name) stderr:\n" + String(c.child.errorText.suffix(3000))
        }.joined(separator: "\n")
    }
}
