import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The open connections, so `dropConnections()` can cut them, and how many were ever accepted.
final class ConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let added = Atomic<Int>(0)

    func add(_ c: any Channel) {
        added.add(1, ordering: .relaxed)
        channels.withLock { $0[ObjectIdentifier(c)] = c }
    }
    /// Connections accepted so far (those closed at once during an outage included): TCP connections, not HTTP/2 streams.
    var accepted: Int { added.load(ordering: .relaxed) }
    func remove(_ c: any Channel) { _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(c)) } }
    var all: [any Channel] { channels.withLock { Array($0.values) } }
}

/// What every connection handler shares.
final class ServerCore: Sendable {
    let store: Store
    let api: APIHandler
    let faults: FaultInjector
    let log: RequestLog
    let options: ServerOptions
    let connections = ConnectionSet()
    let outage = OutageSwitch()

    init(store: Store, api: APIHandler, faults: FaultInjector, log: RequestLog, options: ServerOptions) {
        self.store = store
        self.api = api
        self.faults = faults
        self.log = log
        self.options = options
    }
}

/// An in-memory Kubernetes API server on 127.0.0.1 (ephemeral port), for tests and the playground.
///
/// Start it with `KubeTestServer.start()`, point a client at `url` (or at the kubeconfig from
/// `writeKubeconfig(to:)`), drive it with `store`, `kubelet`, `faults`, and read `requests`.
/// `stop()` closes the listener and every connection. See docs/testserver.md for the reproduced
/// kube-apiserver semantics and their limits.
public final class KubeTestServer: Sendable {
    public let store: Store
    public let kubelet: FakeKubelet
    public let faults: FaultInjector
    public let requests: RequestLog
    /// `http://127.0.0.1:PORT` or `https://…` with TLS.
    public let url: String
    public let port: Int
    /// The CA (PEM) clients should trust for `httpsURL`.
    public let caPEM: String?
    /// `https://127.0.0.1:PORT`: the same port speaks TLS (with the given certificate, or a
    /// self-signed one made at start) and plain HTTP. nil if no certificate could be made.
    public let httpsURL: String?
    let core: ServerCore
    let listener: any Channel

    /// TLS material for serving HTTPS (PEM certificate chain and key; `caPEM` for clients).
    public struct TLS: Sendable {
        public var certificateChainPEM: String
        public var privateKeyPEM: String
        public var caPEM: String
        public init(certificateChainPEM: String, privateKeyPEM: String, caPEM: String) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.caPEM = caPEM
        }
    }

    private init(core: ServerCore, listener: any Channel, port: Int, tls: Bool, caPEM: String?) {
        self.core = core
        self.store = core.store
        self.kubelet = FakeKubelet(store: core.store)
        self.faults = core.faults
        self.requests = core.log
        self.listener = listener
        self.port = port
        self.url = "\(tls ? "https" : "http")://127.0.0.1:\(port)"
        self.caPEM = caPEM
        self.httpsURL = caPEM == nil ? nil : "https://127.0.0.1:\(port)"
    }

    /// Binds 127.0.0.1 on `port` (0: an ephemeral one) and starts serving HTTPS and plain HTTP on it (the
    /// client's first byte decides). With `tls`, that certificate is served and `url` is HTTPS;
    /// without, a self-signed certificate is made (`httpsURL`, `caPEM`) and `url` is plain HTTP.
    public static func start(options: ServerOptions = ServerOptions(), tls: TLS? = nil,
                             clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                             port requestedPort: Int = 0) async throws -> KubeTestServer {
        let store = Store(options: options, clock: clock)
        let served = tls ?? (try? TLS.selfSigned(days: 1))
        let sslContext: NIOSSLContext? = try served.map { t in
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(t.certificateChainPEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(bytes: Array(t.privateKeyPEM.utf8), format: .pem)
            return try NIOSSLContext(configuration: ConnectionPipelines.tlsConfiguration(chain: chain, privateKey: key))
        }
        let faults = FaultInjector()
        let log = RequestLog(limit: options.requestLogLimit)
        let coreBox = Mutex<ServerCore?>(nil)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard let core = coreBox.withLock({ $0 }) else { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // With TLS, plain HTTP is served on the same port too (see TLSOrPlainHTTP).
                    if let sslContext { return try sync.addHandler(TLSOrPlainHTTP(sslContext: sslContext, core: core)) }
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try sync.addHandler(HTTPHandler(server: core, admitsConnection: true))
                }
            }
        let listener = try await bootstrap.bind(host: "127.0.0.1", port: requestedPort).get()
        let port = listener.localAddress?.port ?? 0
        let api = APIHandler(store: store, options: options, serverAddress: "127.0.0.1:\(port)")
        let core = ServerCore(store: store, api: api, faults: faults, log: log, options: options)
        coreBox.withLock { $0 = core }
        return KubeTestServer(core: core, listener: listener, port: port, tls: tls != nil, caPEM: served?.caPEM)
    }

    /// Stops listening and closes every connection (open watches end). Connections are closed
    /// without waiting for a TLS peer's close_notify, so stopping takes milliseconds with TLS too.
    public func stop() async throws {
        store.cutWatches()
        try? await listener.close()
        for c in core.connections.all { c.close(promise: nil) }
    }

    /// How many TCP connections clients have opened to this server so far (an HTTP/2 client
    /// multiplexing all its requests and watches holds one; those closed at once during an outage count too).
    public var acceptedConnections: Int { core.connections.accepted }

    /// Simulates an API server restart: every connection (watches included) is dropped; storage,
    /// resourceVersions and watch history are kept, so clients can resume from where they were.
    public func dropConnections() {
        for c in core.connections.all { c.close(promise: nil) }
    }

    /// Writes a kubeconfig (context `kube-test-server`) pointing at this server over HTTPS (kubectl
    /// sends tokens only over TLS); returns its path. It authenticates with `token`: by default
    /// `adminToken` (`system:masters`).
    @discardableResult
    public func writeKubeconfig(to path: String, namespace: String = "default",
                                token: String = KubeTestServer.adminToken) throws -> String {
        var cluster = "    server: \(httpsURL ?? url)\n"
        if let ca = caPEM {
            cluster += "    certificate-authority-data: \(Data(ca.utf8).base64EncodedString())\n"
        }
        let text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-test-server
          cluster:
        \(cluster)contexts:
        - name: kube-test-server
          context:
            cluster: kube-test-server
            user: test-user
            namespace: \(namespace)
        current-context: kube-test-server
        users:
        - name: test-user
          user:
            token: \(token)

        """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
