import KubeAPI
import KubeClient
import KubeTestServer
@testable import KubeRuntime

/// A core/v1 ConfigMap: the built-in kind the HTTP integration tests reconcile.
struct ConfigMap: KubeResource, Hashable {
    static let resource = ResourceDescriptor(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap",
                                             namespaced: true)
    var metadata: ObjectMeta
    var data: [String: String]?

    init(_ name: String, namespace: String = "default", data: [String: String]? = nil) {
        metadata = ObjectMeta(name: name, namespace: namespace)
        self.data = data
    }
}

/// A KubeTestServer on 127.0.0.1 plus a client for it (the "admin" that changes server state).
struct TestAPI {
    let server: KubeTestServer
    let admin: KubeClient

    /// The root-CA publisher is off: these tests count the ConfigMaps of `default` and own them all.
    static func start() async throws -> TestAPI {
        var options = ServerOptions()
        options.rootCAConfigMaps = false
        let server = try await KubeTestServer.start(options: options)
        return TestAPI(server: server, admin: client(server))
    }

    /// A fresh client of the server (each manager/elector gets its own), authenticated as
    /// `token` (by default the server's admin, `system:masters`).
    static func client(_ server: KubeTestServer, token: String = KubeTestServer.adminToken) -> KubeClient {
        KubeClient(config: KubeClientConfig(server: server.url, credentials: .token(token)), retryPolicy: .none,
                   logger: quietLogger)
    }

    /// The server's ConfigMaps in `default`, keyed, with their resourceVersions.
    func serverState() async throws -> [ObjectKey: String] {
        let list = try await admin.list(ConfigMap.self, namespace: "default")
        return Dictionary(uniqueKeysWithValues: list.items.map { ($0.objectKey!, $0.metadata.resourceVersion ?? "") })
    }

    func stop() async { try? await server.stop() }

    /// Starts a server, runs `body` with it and stops the server however `body` ends (a failing
    /// `try` or `#require` included), so no test leaks a listening server.
    static func withServer<R>(_ body: (TestAPI) async throws -> R) async throws -> R {
        let api = try await start()
        do {
            let result = try await body(api)
            await api.stop()
            return result
        } catch {
            await api.stop()
            throw error
        }
    }
}

/// Fast, real-clock backoff for HTTP tests (the watcher sleeps inside Sources; tests never do).
let fastBackoff = Backoff(initial: .milliseconds(1), maximum: .milliseconds(20), jitter: 0)

extension KubeRuntime.Store where Object == ConfigMap {
    var versions: [ObjectKey: String] {
        Dictionary(uniqueKeysWithValues: list().map { ($0.objectKey!, $0.metadata.resourceVersion ?? "") })
    }
}
