/// One HTTP request as the transport executes it.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Absolute URL including the query.
    public var url: String
    /// Header lines, `Name: value`.
    public var headers: [String]
    public var body: [UInt8]?
    /// Whole-transfer limit; `nil` for streams (watches) that stay open.
    public var timeout: Duration?
    public var connectTimeout: Duration
    /// A stream with no bytes for this long ends with `TransportFailure.idle`.
    public var idleTimeout: Duration?
    public var tls: TLSSettings

    public init(method: String, url: String, headers: [String] = [], body: [UInt8]? = nil,
                timeout: Duration? = .seconds(60), connectTimeout: Duration = .seconds(10),
                idleTimeout: Duration? = nil, tls: TLSSettings = TLSSettings()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.tls = tls
    }
}

/// A complete HTTP response. For streamed 2xx responses `body` is empty (the bytes went to the
/// stream's consumer).
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; the last value wins for repeated headers. For a response of the
    /// HTTP/2 client the dictionary is built from the received fields on each read (most
    /// responses' headers are never read); to look up one header use `header(_:)`.
    public var headers: [String: String] {
        get { fields.map(Self.dictionary) ?? stored }
        set {
            stored = newValue
            fields = nil
        }
    }
    public var body: [UInt8]
    /// The negotiated protocol: `1.1`, `2`, ... (from `CURLINFO_HTTP_VERSION`).
    public var httpVersion: String

    private var stored: [String: String]
    /// An HTTP/2 response's header block as decoded, pseudo-header fields included (nil: `stored`).
    private var fields: [HPACKField]?

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], httpVersion: String = "1.1") {
        self.status = status
        self.stored = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// A response whose headers are `fields` as an HTTP/2 header block decoded them (names
    /// lower-case; pseudo-header fields are left out of `headers`).
    init(status: Int, fields: [HPACKField], body: [UInt8], httpVersion: String) {
        self.init(status: status, body: body, httpVersion: httpVersion)
        self.fields = fields
    }

    /// The value of the header `name` (lower-case), the last one when repeated — `headers[name]`
    /// without building the dictionary.
    public func header(_ name: String) -> String? {
        guard let fields else { return stored[name] }
        return fields.last { $0.name == name && $0.name.utf8.first != UInt8(ascii: ":") }?.value
    }

    private static func dictionary(_ fields: [HPACKField]) -> [String: String] {
        var headers: [String: String] = [:]
        headers.reserveCapacity(fields.count)
        for f in fields where f.name.utf8.first != UInt8(ascii: ":") { headers[f.name] = f.value }
        return headers
    }
}

/// Why a transfer produced no response.
public enum TransportFailure: Error, Sendable, Hashable {
    /// libcurl failed: its `CURLcode` and error text (never contains request headers).
    case curl(code: Int, message: String)
    /// The caller cancelled (task cancellation or stream termination).
    case cancelled
    /// A stream received no bytes for the given time.
    case idle(Duration)
}
