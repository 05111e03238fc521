/// What one HTTP/2 connection serves: a host and port reached with one set of TLS settings and
/// one server name. Requests with equal keys share the connection.
struct ConnectionKey: Hashable {
    var host: String
    var port: Int
    var serverName: String?
    var tls: TLSContext.Key

    init(_ target: RequestTarget, _ settings: TLSSettings) {
        host = target.host
        port = target.port
        serverName = settings.serverName
        tls = TLSContext.Key(settings)
    }
}
