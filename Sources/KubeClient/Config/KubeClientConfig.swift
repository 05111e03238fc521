import FoundationEssentials

/// Everything the client needs to reach one API server: endpoint, TLS material and credentials.
///
/// Contract: a value is self-contained (file paths are absolute) and carries no behaviour beyond
/// the token source; `description` never prints secrets, nor does `dump` or a `Mirror` (its
/// `Credentials` and `TLSSettings` redact the token and the client key).
public struct KubeClientConfig: Sendable, CustomStringConvertible {
    /// `https://host:port` (or `http://` for local test servers), without a trailing slash.
    public var server: String
    public var tls: TLSSettings
    public var credentials: Credentials
    /// The namespace requests default to (context namespace, in-cluster namespace, or `default`).
    public var namespace: String
    /// Per-request time limit for non-watch requests.
    public var requestTimeout: Duration
    public var connectTimeout: Duration
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Which HTTP client carries the requests (see `KubeTransportChoice`).
    public var transport: KubeTransportChoice

    public init(server: String, tls: TLSSettings = TLSSettings(), credentials: Credentials = .none,
                namespace: String = "default", requestTimeout: Duration = .seconds(60),
                connectTimeout: Duration = .seconds(10), userAgent: String = "codex-k8s",
                transport: KubeTransportChoice = .automatic) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        self.transport = transport
    }

    public var description: String {
        "KubeClientConfig(server: \(server), namespace: \(namespace), credentials: \(credentials), tls: \(tls))"
    }
}

/// The HTTP client of a `KubeClient`.
public enum KubeTransportChoice: String, Sendable, CaseIterable {
    /// Our HTTP/2 client for `https` servers (libcurl for `http`, behind a proxy variable, or a
    /// server whose handshake does not offer `h2`).
    case automatic
    /// libcurl for everything.
    case curl
}

/// TLS material: PEM data takes precedence over files when both are set. Its `description` and
/// `Mirror` (what `dump` shows) never show the client key's data.
public struct TLSSettings: Sendable, CustomStringConvertible, CustomReflectable {
    public var caData: [UInt8]?
    public var caFile: String?
    public var clientCertificateData: [UInt8]?
    public var clientCertificateFile: String?
    public var clientKeyData: [UInt8]?
    public var clientKeyFile: String?
    public var insecureSkipVerify: Bool
    /// Overrides the name checked against the server certificate (`tls-server-name`); empty is
    /// unset (the URL's host is checked), as in client-go.
    public var serverName: String?

    public init(caData: [UInt8]? = nil, caFile: String? = nil,
                clientCertificateData: [UInt8]? = nil, clientCertificateFile: String? = nil,
                clientKeyData: [UInt8]? = nil, clientKeyFile: String? = nil,
                insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.caData = caData
        self.caFile = caFile
        self.clientCertificateData = clientCertificateData
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyData = clientKeyData
        self.clientKeyFile = clientKeyFile
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName?.isEmpty == true ? nil : serverName
    }

    public var description: String {
        var parts: [String] = []
        if caData != nil { parts.append("ca: data") } else if let caFile { parts.append("ca: \(caFile)") }
        if clientCertificateData != nil || clientCertificateFile != nil { parts.append("client certificate") }
        if insecureSkipVerify { parts.append("insecure-skip-tls-verify") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "caData": caData as Any, "caFile": caFile as Any,
            "clientCertificateData": clientCertificateData as Any, "clientCertificateFile": clientCertificateFile as Any,
            "clientKeyData": (clientKeyData.map { _ in "<redacted>" }) as Any, "clientKeyFile": clientKeyFile as Any,
            "insecureSkipVerify": insecureSkipVerify, "serverName": serverName as Any,
        ], displayStyle: .struct)
    }
}

/// How requests authenticate (besides a client certificate, which lives in `TLSSettings`).
/// Its `description` and `Mirror` (what `dump` shows) never show a token.
public enum Credentials: Sendable, CustomStringConvertible, CustomReflectable {
    case none
    /// A fixed bearer token.
    case token(String)
    /// A bearer token read from a file and re-read periodically (service-account token rotation).
    case tokenFile(TokenFile)

    public var description: String {
        switch self {
        case .none: "none"
        case .token: "token(<redacted>)"
        case .tokenFile(let f): "tokenFile(\(f.path))"
        }
    }

    /// The token redacted; a token file by its path only (not the token it has read).
    public var customMirror: Mirror {
        switch self {
        case .none: Mirror(self, children: [], displayStyle: .enum)
        case .token: Mirror(self, children: ["token": "<redacted>"], displayStyle: .enum)
        case .tokenFile(let f): Mirror(self, children: ["tokenFile": f.path], displayStyle: .enum)
        }
    }
}
