import FoundationEssentials

/// One kubeconfig file, read into plain values (the parts the client uses).
///
/// Contract: every value keeps the file it came from, and relative paths inside it are already
/// resolved against that file's directory, so merged configs never mix up bases.
public struct KubeConfigFile: Sendable {
    public struct Cluster: Sendable, Hashable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify: Bool
        public var tlsServerName: String?
        public var file: String
    }

    public struct User: Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        /// `exec`/`auth-provider`/`username` were present: credentials the client cannot use.
        public var unsupportedAuth: String?
        public var file: String
    }

    public struct Context: Sendable, Hashable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
        public var file: String
        public var mark: YAMLMark
    }

    public var path: String
    public var clusters: [(String, Cluster)] { clusterList }
    public var currentContext: String?
    var clusterList: [(String, Cluster)]
    var userList: [(String, User)]
    var contextList: [(String, Context)]


    /// Reads and parses a kubeconfig file.
    public static func load(path: String) throws(KubeConfigError) -> KubeConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError(file: path, message: "cannot read kubeconfig file")
        }
        return try parse([UInt8](data), path: path)
    }

    /// Parses kubeconfig text; `path` names the file in errors and is the base of relative paths.
    public static func parse(_ bytes: [UInt8], path: String) throws(KubeConfigError) -> KubeConfigFile {
        let root: YAMLNode
        do {
            root = try YAMLNode.parse(bytes, file: path)
        } catch {
            throw KubeConfigError(file: path, mark: error.mark, message: "invalid YAML: \(error.message)")
        }
        var reader = KubeConfigReader(file: path)
        return try reader.read(root)
    }
}

/// Walks a kubeconfig YAML tree with precise errors.
struct KubeConfigReader {
    let file: String
    let baseDirectory: String

    init(file: String) {
        self.file = file
        self.baseDirectory = FilePaths.directory(of: file)
    }

    func fail(_ node: YAMLNode, _ field: String, _ message: String) -> KubeConfigError {
        KubeConfigError(file: file, field: field, mark: node.mark, message: message)
    }

    mutating func read(_ root: YAMLNode) throws(KubeConfigError) -> KubeConfigFile {
        if root.isNull {
            return KubeConfigFile(path: file, currentContext: nil, clusterList: [], userList: [], contextList: [])
        }
        guard root.pairs != nil else { throw fail(root, "(root)", "expected a mapping, found a \(root.kindDescription)") }
        if let kind = root["kind"], let k = kind.scalar, !kind.isNull, k != "Config" {
            throw fail(kind, "kind", "expected Config, found \(k)")
        }
        let clusters = try namedList(root, "clusters", "cluster") { (n, f) throws(KubeConfigError) in try cluster(n, f) }
        let users = try namedList(root, "users", "user") { (n, f) throws(KubeConfigError) in try user(n, f) }
        let contexts = try namedList(root, "contexts", "context") { (n, f) throws(KubeConfigError) in try context(n, f) }
        let current = try optionalString(root, "current-context", in: "current-context")
        return KubeConfigFile(path: file, currentContext: current?.isEmpty == true ? nil : current,
                              clusterList: clusters, userList: users, contextList: contexts)
    }

    /// Reads `clusters: [{name: x, cluster: {...}}]`-shaped lists.
    func namedList<T>(_ root: YAMLNode, _ key: String, _ inner: String,
                      _ body: (YAMLNode, String) throws(KubeConfigError) -> T) throws(KubeConfigError) -> [(String, T)] {
        guard let list = root[key], !list.isNull else { return [] }
        guard let items = list.items else { throw fail(list, key, "expected a sequence, found a \(list.kindDescription)") }
        var out: [(String, T)] = []
        for (i, item) in items.enumerated() {
            guard item.pairs != nil else { throw fail(item, "\(key)[\(i)]", "expected a mapping") }
            guard let nameNode = item["name"], let name = nameNode.scalar, !nameNode.isNull, !name.isEmpty else {
                throw fail(item, "\(key)[\(i)].name", "missing name")
            }
            if out.contains(where: { $0.0 == name }) {
                throw fail(nameNode, "\(key)[\(name)]", "duplicate name \"\(name)\"")
            }
            guard let body_ = item[inner], body_.pairs != nil else {
                throw fail(item[inner] ?? item, "\(key)[\(name)].\(inner)", "expected a mapping")
            }
            out.append((name, try body(body_, "\(key)[\(name)].\(inner)")))
        }
        return out
    }

    func optionalString(_ node: YAMLNode, _ key: String, in field: String) throws(KubeConfigError) -> String? {
        guard let v = node[key], !v.isNull else { return nil }
        guard let s = v.scalar else { throw fail(v, field, "expected a string, found a \(v.kindDescription)") }
        return s
    }

    func optionalBool(_ node: YAMLNode, _ key: String, in field: String) throws(KubeConfigError) -> Bool? {
        guard let v = node[key], !v.isNull else { return nil }
        guard let b = v.bool else { throw fail(v, field, "expected true or false") }
        return b
    }

    func path(_ node: YAMLNode, _ key: String, in field: String) throws(KubeConfigError) -> String? {
        guard let p = try optionalString(node, key, in: field), !p.isEmpty else { return nil }
        return KubeConfigReader.resolve(p, against: baseDirectory)
    }

    /// Resolves `p` against `base` unless absolute; expands a leading `~/`.
    static func resolve(_ p: String, against base: String) -> String {
        if p.hasPrefix("/") { return p }
        if p.hasPrefix("~/") { return FilePaths.join(FilePaths.homeDirectory, String(p.dropFirst(2))) }
        return base.isEmpty ? p : FilePaths.join(base, p)
    }

    func base64(_ node: YAMLNode, _ key: String, in field: String) throws(KubeConfigError) -> [UInt8]? {
        guard let s = try optionalString(node, key, in: field), !s.isEmpty else { return nil }
        let cleaned = s.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: cleaned) else {
            throw fail(node[key] ?? node, field, "not valid base64")
        }
        return [UInt8](data)
    }

    func cluster(_ n: YAMLNode, _ f: String) throws(KubeConfigError) -> KubeConfigFile.Cluster {
        guard let server = try optionalString(n, "server", in: "\(f).server"), !server.isEmpty else {
            throw fail(n, "\(f).server", "missing server")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw fail(n["server"] ?? n, "\(f).server", "expected an http(s) URL")
        }
        return .init(server: server,
                     certificateAuthority: try path(n, "certificate-authority", in: "\(f).certificate-authority"),
                     certificateAuthorityData: try base64(n, "certificate-authority-data", in: "\(f).certificate-authority-data"),
                     insecureSkipTLSVerify: try optionalBool(n, "insecure-skip-tls-verify", in: "\(f).insecure-skip-tls-verify") ?? false,
                     tlsServerName: try optionalString(n, "tls-server-name", in: "\(f).tls-server-name"),
                     file: file)
    }

    func user(_ n: YAMLNode, _ f: String) throws(KubeConfigError) -> KubeConfigFile.User {
        var unsupported: String?
        for key in ["exec", "auth-provider", "username", "password"] where n[key].map({ !$0.isNull }) == true {
            unsupported = key
        }
        return .init(token: try optionalString(n, "token", in: "\(f).token"),
                     tokenFile: try path(n, "tokenFile", in: "\(f).tokenFile"),
                     clientCertificate: try path(n, "client-certificate", in: "\(f).client-certificate"),
                     clientCertificateData: try base64(n, "client-certificate-data", in: "\(f).client-certificate-data"),
                     clientKey: try path(n, "client-key", in: "\(f).client-key"),
                     clientKeyData: try base64(n, "client-key-data", in: "\(f).client-key-data"),
                     unsupportedAuth: unsupported, file: file)
    }

    func context(_ n: YAMLNode, _ f: String) throws(KubeConfigError) -> KubeConfigFile.Context {
        guard let cluster = try optionalString(n, "cluster", in: "\(f).cluster"), !cluster.isEmpty else {
            throw fail(n, "\(f).cluster", "missing cluster")
        }
        return .init(cluster: cluster, user: try optionalString(n, "user", in: "\(f).user"),
                     namespace: try optionalString(n, "namespace", in: "\(f).namespace"), file: file, mark: n.mark)
    }
}
