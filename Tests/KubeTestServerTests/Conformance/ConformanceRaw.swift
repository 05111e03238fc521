import KubeAPI
@testable import KubeClient

/// One request sent as is (no retries, no error mapping) through the target's client, so a
/// conformance test can assert the exact status code, headers and `Status` body on either server.
struct RawAnswer {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
    var reason: String? { json["reason"]?.stringValue }
    var message: String? { json["message"]?.stringValue }
}

extension ConformanceTarget {
    /// `method path` (the path may carry a query) with a JSON body.
    func raw(_ method: String, _ path: String, _ body: JSONValue? = nil, contentType: String = "application/json",
             accept: String = "application/json") async throws -> RawAnswer {
        try await raw(method, path, bytes: body?.serialized(), contentType: contentType, accept: accept)
    }

    func raw(_ method: String, _ path: String, bytes: [UInt8]?, contentType: String = "application/json",
             accept: String = "application/json") async throws -> RawAnswer {
        let request = HTTPRequest(method: method, url: client.config.server + path,
                                  headers: try client.headers(contentType: bytes == nil ? nil : contentType, accept: accept),
                                  body: bytes, timeout: .seconds(60), connectTimeout: client.config.connectTimeout,
                                  tls: client.config.tls)
        let r = try await client.loop.perform(request)
        return RawAnswer(status: r.status, headers: r.headers, body: r.body)
    }

    var configMapsPath: String { "/api/v1/namespaces/\(namespace)/configmaps" }
}
