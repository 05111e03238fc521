import FoundationEssentials

/// One or more kubeconfig files merged with kubectl's rules, resolved to a `KubeClientConfig`.
///
/// Merge rules (as `KUBECONFIG=a:b:c`): clusters, users and contexts are merged by name and the
/// first file that defines a name wins; `current-context` comes from the first file that sets
/// it. Relative paths were already resolved against the file that contained them.
public struct KubeConfig: Sendable {
    public private(set) var files: [String] = []
    public private(set) var currentContext: String?
    var clusters: [String: KubeConfigFile.Cluster] = [:]
    var users: [String: KubeConfigFile.User] = [:]
    var contexts: [String: KubeConfigFile.Context] = [:]

    public init(merging parsed: [KubeConfigFile]) {
        for f in parsed {
            files.append(f.path)
            if currentContext == nil { currentContext = f.currentContext }
            for (name, c) in f.clusterList where clusters[name] == nil { clusters[name] = c }
            for (name, u) in f.userList where users[name] == nil { users[name] = u }
            for (name, c) in f.contextList where contexts[name] == nil { contexts[name] = c }
        }
    }

    /// Loads and merges files in order; missing files in a KUBECONFIG list are skipped like
    /// kubectl does, unless none exists.
    public static func load(paths: [String], skipMissing: Bool = false) throws(KubeConfigError) -> KubeConfig {
        var parsed: [KubeConfigFile] = []
        for p in paths where !p.isEmpty {
            if skipMissing && !FileManager.default.fileExists(atPath: p) { continue }
            parsed.append(try KubeConfigFile.load(path: p))
        }
        if parsed.isEmpty {
            throw KubeConfigError(file: paths.joined(separator: ":"), message: "no kubeconfig file found")
        }
        return KubeConfig(merging: parsed)
    }

    /// The context names, sorted.
    public var contextNames: [String] { contexts.keys.sorted() }

    /// Resolves `context` (or `current-context`) to a client configuration.
    /// - Throws: `KubeConfigError` naming the file and field of whatever is missing or unusable.
    public func clientConfig(context override: String? = nil) throws(KubeConfigError) -> KubeClientConfig {
        let where_ = files.joined(separator: ":")
        guard let name = override ?? currentContext else {
            throw KubeConfigError(file: where_, field: "current-context", message: "no current-context set and no context given")
        }
        guard let ctx = contexts[name] else {
            throw KubeConfigError(file: where_, field: override == nil ? "current-context" : "contexts",
                                  message: "context \"\(name)\" not found")
        }
        guard let cluster = clusters[ctx.cluster] else {
            throw KubeConfigError(file: ctx.file, field: "contexts[\(name)].context.cluster", mark: ctx.mark,
                                  message: "cluster \"\(ctx.cluster)\" not found")
        }
        var tls = TLSSettings(caData: cluster.certificateAuthorityData, caFile: cluster.certificateAuthority,
                              insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        var credentials = Credentials.none
        if let userName = ctx.user, !userName.isEmpty {
            guard let user = users[userName] else {
                throw KubeConfigError(file: ctx.file, field: "contexts[\(name)].context.user", mark: ctx.mark,
                                      message: "user \"\(userName)\" not found")
            }
            tls.clientCertificateData = user.clientCertificateData
            tls.clientCertificateFile = user.clientCertificate
            tls.clientKeyData = user.clientKeyData
            tls.clientKeyFile = user.clientKey
            let hasCert = user.clientCertificateData != nil || user.clientCertificate != nil
            let hasKey = user.clientKeyData != nil || user.clientKey != nil
            if hasCert != hasKey {
                throw KubeConfigError(file: user.file, field: "users[\(userName)].user.\(hasCert ? "client-key" : "client-certificate")",
                                      message: "a client certificate needs both certificate and key")
            }
            if let token = user.token, !token.isEmpty {
                credentials = .token(token)
            } else if let tokenFile = user.tokenFile {
                credentials = .tokenFile(TokenFile(path: tokenFile))
            } else if let unsupported = user.unsupportedAuth, !hasCert {
                throw KubeConfigError(file: user.file, field: "users[\(userName)].user.\(unsupported)",
                                      message: "this authentication method is not supported; use a token, tokenFile or client certificate")
            }
        }
        for (field, path) in [("certificate-authority", tls.caData == nil ? tls.caFile : nil),
                              ("client-certificate", tls.clientCertificateData == nil ? tls.clientCertificateFile : nil),
                              ("client-key", tls.clientKeyData == nil ? tls.clientKeyFile : nil)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw KubeConfigError(file: field == "certificate-authority" ? cluster.file : (users[ctx.user ?? ""]?.file ?? cluster.file),
                                      field: field, message: "cannot read \(path)")
            }
        }
        let ns = (ctx.namespace?.isEmpty == false) ? ctx.namespace! : "default"
        return KubeClientConfig(server: cluster.server, tls: tls, credentials: credentials, namespace: ns)
    }
}
