import FoundationEssentials

/// Where a pod finds its service-account credentials; injectable for tests.
public struct InClusterPaths: Sendable, Hashable {
    public var token: String
    public var ca: String
    public var namespace: String

    public init(directory: String = "/var/run/secrets/kubernetes.io/serviceaccount") {
        self.token = directory + "/token"
        self.ca = directory + "/ca.crt"
        self.namespace = directory + "/namespace"
    }
}

extension KubeClientConfig {
    /// The in-cluster configuration: `KUBERNETES_SERVICE_HOST`/`_PORT`, the service-account token
    /// (re-read every `tokenRefresh`, default one minute), CA and namespace.
    ///
    /// - Throws: `KubeConfigError` naming the missing variable or file.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 paths: InClusterPaths = InClusterPaths(),
                                 tokenRefresh: Duration = .seconds(60),
                                 now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now })
        throws(KubeConfigError) -> KubeClientConfig
    {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeConfigError(field: "KUBERNETES_SERVICE_HOST", message: "not running in a cluster (variable unset)")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeConfigError(field: "KUBERNETES_SERVICE_PORT", message: "not running in a cluster (variable unset)")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard FileManager.default.isReadableFile(atPath: paths.token) else {
            throw KubeConfigError(file: paths.token, field: "token", message: "service-account token not readable")
        }
        guard FileManager.default.isReadableFile(atPath: paths.ca) else {
            throw KubeConfigError(file: paths.ca, field: "ca.crt", message: "service-account CA not readable")
        }
        let ns = FileManager.default.contents(atPath: paths.namespace)
            .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace }
        let token = TokenFile(path: paths.token, refreshInterval: tokenRefresh, now: now)
        _ = try token.current()
        return KubeClientConfig(server: "https://\(hostPart):\(port)", tls: TLSSettings(caFile: paths.ca),
                                credentials: .tokenFile(token), namespace: (ns?.isEmpty == false) ? ns! : "default")
    }

    /// Resolves the configuration like kubectl: an explicit kubeconfig path; else `KUBECONFIG`
    /// (several files, merged); else in-cluster when `KUBERNETES_SERVICE_HOST` is set; else
    /// `~/.kube/config`. `context` overrides the current context of a kubeconfig.
    public static func fromEnvironment(kubeconfigPath: String? = nil, context: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment,
                                       inClusterPaths: InClusterPaths = InClusterPaths())
        throws(KubeConfigError) -> KubeClientConfig
    {
        if let kubeconfigPath, !kubeconfigPath.isEmpty {
            return try KubeConfig.load(paths: [kubeconfigPath]).clientConfig(context: context)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init)
            return try KubeConfig.load(paths: paths, skipMissing: true).clientConfig(context: context)
        }
        if environment["KUBERNETES_SERVICE_HOST"]?.isEmpty == false {
            return try inCluster(environment: environment, paths: inClusterPaths)
        }
        let home = environment["HOME"] ?? FilePaths.homeDirectory
        return try KubeConfig.load(paths: [home + "/.kube/config"]).clientConfig(context: context)
    }
}
