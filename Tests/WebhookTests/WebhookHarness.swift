import ClusterSupport
import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Logging
import Runs
import Synchronization
import Webhook
import YAML

/// An audit sink that keeps everything it is given, for assertions.
final class RecordingAuditSink: AuditSink {
    private let state = Mutex<(records: [AuditRecord], deliveries: [WebhookDeliveryRecord])>(([], []))
    func record(_ record: AuditRecord) { state.withLock { $0.records.append(record) } }
    func recordRun(_ run: AgentRunRecord) {}
    func recordDelivery(_ delivery: WebhookDeliveryRecord) { state.withLock { $0.deliveries.append(delivery) } }
    var records: [AuditRecord] { state.withLock { $0.records } }
    var deliveries: [WebhookDeliveryRecord] { state.withLock { $0.deliveries } }
    func names(delivery: String) -> [String] {
        records.filter { $0.payload["deliveryID"]?.stringValue == delivery }.map(\.event.name.rawValue)
    }
}

/// An HTTP answer of the adapter.
struct Answer: CustomStringConvertible {
    var code: Int
    var json: JSONValue
    var status: String? { json["status"]?.stringValue }
    var reason: String? { json["reason"]?.stringValue }
    var run: String? { json["run"]?.stringValue }
    var description: String { "\(code) \(json.jsonString(sortedKeys: true))" }
}

/// KubeTestServer with the CRDs of CRDs/ installed (group `codex-k8s.dev`) and the control
/// namespace, plus the webhook adapter served over HTTP on an ephemeral port. In memory only: the
/// adapter writes AgentRuns of the real group, which must not touch a shared cluster.
final class WebhookHarness: Sendable {
    static let secret = "It's a Secret to Everybody"
    static let namespace = "codex-system"
    static let namespaces = ResourceDescriptor(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false)
    static let quiet: Logger = { var l = Logger(label: "webhook-tests"); l.logLevel = .critical; return l }()

    let server: KubeTestServer
    let client: KubeClient
    let service: WebhookService
    let audit: RecordingAuditSink
    let port: Int
    let task: Task<Void, any Error>

    private init(server: KubeTestServer, client: KubeClient, service: WebhookService, audit: RecordingAuditSink, port: Int,
                 task: Task<Void, any Error>) {
        self.server = server
        self.client = client
        self.service = service
        self.audit = audit
        self.port = port
        self.task = task
    }

    static func start(settings: WebhookSettings = WebhookSettings(), secrets: WebhookSecrets = WebhookSecrets(values: [secret]),
                      bodyLimit: Int = WebhookRoutes.defaultBodyLimit,
                      wallClock: @escaping @Sendable () -> Date = { Date() }) async throws -> WebhookHarness {
        let server = try await KubeTestServer.start()
        let client = KubeClient(config: KubeClientConfig(server: server.url, credentials: .token(KubeTestServer.adminToken)),
                                retryPolicy: .none, logger: quiet)
        for crd in try YAMLNode.parseDocuments(Array(EmbeddedManifests.crds.utf8)).map({ try $0.jsonValue() }) {
            try await CRDInstall.createEstablished(crd, client)
        }
        _ = try await client.create(namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        var config = OperatorConfig.defaults
        config.webhook = settings
        let audit = RecordingAuditSink()
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let service = WebhookService(config: config, client: client, namespace: namespace, secrets: secrets, audit: audit,
                                     wallClock: wallClock, host: "127.0.0.1", port: 0, bodyLimit: bodyLimit, logger: quiet,
                                     onServerRunning: { port in portSink.yield(port) })
        let task = Task { try await service.run() }
        var port = 0
        for await p in ports { port = p; break }
        let h = WebhookHarness(server: server, client: client, service: service, audit: audit, port: port, task: task)
        try await h.waitForCache("cache synced") { service.cache.isSynced }
        return h
    }

    static func with(settings: WebhookSettings = WebhookSettings(), secrets: WebhookSecrets = WebhookSecrets(values: [secret]),
                     wallClock: @escaping @Sendable () -> Date = { Date() },
                     _ body: (WebhookHarness) async throws -> Void) async throws {
        let h = try await start(settings: settings, secrets: secrets, wallClock: wallClock)
        do {
            try await body(h)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        try? await server.stop()
    }

    /// Waits until `condition` — about AgentRuns, in a cache or on the server — holds, re-checking
    /// it after every change of an AgentRun cache (`changes`; default: the adapter's, which applies
    /// each event after the apiserver committed it), for up to 60 s. No polling.
    func waitForCache(_ what: String, on changes: ChangeSignal? = nil, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        let changes = changes ?? service.cache.changes
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let seen = changes.version
                    if try await condition() { return true }
                    await changes.wait(after: seen)
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60)) // the deadline, not a poll
                return false
            }
            let met = try await group.next() ?? false
            group.cancelAll()
            if !met { throw HarnessError.timeout(what) }
        }
    }

    enum HarnessError: Error { case timeout(String) }

    /// The AgentRuns on the server.
    func runs() async throws -> [AgentRun] {
        try await client.list(AgentRun.self, namespace: Self.namespace).items
    }

    /// Sends a delivery signed like GitHub (`X-Hub-Signature-256` over the exact body bytes).
    func deliver(_ event: String, _ payload: JSONValue, id: String = UUID().uuidString.lowercased(), secret: String? = WebhookHarness.secret,
                 form: Bool = false) async throws -> Answer {
        let json = payload.serialized()
        let body: [UInt8] = form ? Array("payload=".utf8) + RawHTTP.formEncode(json) : json
        var headers = ["Content-Type": form ? "application/x-www-form-urlencoded" : "application/json",
                       "X-GitHub-Event": event, "X-GitHub-Delivery": id, "User-Agent": "GitHub-Hookshot/test"]
        if let secret { headers["X-Hub-Signature-256"] = HubSignature.header(secret: Array(secret.utf8), body: body) }
        return try await post(headers: headers, body: body)
    }

    func post(method: String = "POST", path: String = WebhookRoutes.path, headers: [String: String], body: [UInt8]) async throws -> Answer {
        let (code, bytes) = try await RawHTTP.request(port: port, method: method, path: path, headers: headers, body: body)
        let json = (try? JSONValue(parsing: bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        return Answer(code: code, json: json)
    }
}
