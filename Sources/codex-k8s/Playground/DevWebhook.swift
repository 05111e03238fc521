import Audit
import Foundation
import KubeClient
import Logging
import Runs
import Synchronization
import Webhook

/// The playground's webhook adapter: the same `WebhookService` as `codex-k8s webhook`, on
/// 127.0.0.1, with a secret generated at start and written to `<dir>/webhook-secret` (mode 0600,
/// never printed) and its URL written to `<dir>/webhook-url` — where `codex-k8s dev deliver` reads
/// both.
enum DevWebhook {
    /// Builds the service; `onListening(port)` runs once it accepts deliveries (listening, and its
    /// AgentRun cache synced, or 30 s passed).
    static func service(settings: OperatorConfig, client: KubeClient, port: Int, files: PlaygroundFiles, audit: any AuditSink,
                        logger: Logger, onListening: @escaping @Sendable (Int) -> Void) throws -> WebhookService {
        let secret = PlaygroundFiles.generateSecret()
        try files.write(secret, to: files.webhookSecret)
        let box = ServiceBox()
        let service = WebhookService(
            config: settings, client: client, namespace: settings.controlNamespace, secrets: WebhookSecrets(values: [secret]),
            audit: audit, host: "127.0.0.1", port: port, logger: logger,
            onServerRunning: { port in
                if let cache = box.value.withLock({ $0 })?.cache {
                    // Whichever comes first: the cache's first list, or 30 s (the other is cancelled).
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await cache.waitUntilSynced() }
                        group.addTask { try? await Task.sleep(for: .seconds(30)) }
                        await group.next()
                        group.cancelAll()
                    }
                }
                try? files.write(url(port: port), to: files.webhookURL)
                onListening(port)
            })
        box.value.withLock { $0 = service }
        return service
    }

    static func url(port: Int) -> String { "http://127.0.0.1:\(port)\(WebhookRoutes.path)" }

    /// Lets the start-up callback see the service it belongs to (set once, before `run()`).
    private final class ServiceBox: Sendable {
        let value = Mutex<WebhookService?>(nil)
    }
}
