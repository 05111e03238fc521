import Foundation
import Hummingbird
import KubeAPI

/// The adapter's HTTP routes (Hummingbird): `POST /webhooks/github`, `/healthz`, `/readyz`, `/metrics`.
///
/// Body limit: a `Content-Length` above `bodyLimit` is refused before a byte is read; otherwise the
/// body is read chunk by chunk and refused as soon as the running total passes the limit, so an
/// oversized body is never buffered whole (at most `bodyLimit` plus one chunk is held).
public enum WebhookRoutes {
    public static let path = "/webhooks/github"
    /// SPEC §4: 1 MiB.
    public static let defaultBodyLimit = 1 << 20

    public static func router(adapter: WebhookAdapter, readiness: WebhookReadiness,
                              bodyLimit: Int = defaultBodyLimit) -> Router<BasicRequestContext> {
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> Response in
            await receive(request, adapter: adapter, bodyLimit: bodyLimit)
        }
        for method: HTTPRequest.Method in [.get, .put, .delete, .patch, .options] {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                let answer = WebhookAnswer.methodNotAllowed
                adapter.record(answer, request: headers(request, body: []), started: .now)
                var response = json(answer)
                response.headers[.allow] = "POST"
                return response
            }
        }
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            if let reason = await readiness.notReadyReason() {
                return text(.serviceUnavailable, "not ready: \(reason)\n")
            }
            return text(.ok, "ok\n")
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: adapter.metrics.registry.emitToBuffer())))
        }
        return router
    }

    static func headers(_ request: Request, body: [UInt8]) -> WebhookRequest {
        let h = request.headers
        func value(_ name: String) -> String? { h.first { $0.name.canonicalName == name }?.value }
        return WebhookRequest(contentType: h[.contentType], event: value("x-github-event"), deliveryID: value("x-github-delivery"),
                              signature: value("x-hub-signature-256"), body: body)
    }

    static func receive(_ request: Request, adapter: WebhookAdapter, bodyLimit: Int) async -> Response {
        let started = ContinuousClock.now
        var parts = headers(request, body: [])
        if WebhookMediaType(contentType: parts.contentType) == nil {
            adapter.record(.unsupportedMediaType, request: parts, started: started)
            return json(.unsupportedMediaType, close: true)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > bodyLimit {
            adapter.record(.tooLarge, request: parts, started: started)
            return json(.tooLarge, close: true)
        }
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard body.count + chunk.readableBytes <= bodyLimit else {
                    adapter.record(.tooLarge, request: parts, started: started)
                    return json(.tooLarge, close: true)
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            let answer = WebhookAnswer.malformed("the body could not be read")
            adapter.record(answer, request: parts, started: started)
            return json(answer, close: true)
        }
        parts.body = body
        return json(await adapter.handle(parts))
    }

    /// The JSON answer; `close` ends the connection (the rest of a refused body is never read).
    static func json(_ answer: WebhookAnswer, close: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if close { headers[.connection] = "close" }
        var bytes = answer.body.serialized(sortedKeys: true)
        bytes.append(UInt8(ascii: "\n"))
        return Response(status: .init(code: answer.code), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ status: HTTPResponse.Status, _ s: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}

/// `/readyz`: the AgentRun cache has synced and the apiserver answers now.
public struct WebhookReadiness: Sendable {
    let check: @Sendable () async -> String?

    public init(check: @escaping @Sendable () async -> String?) { self.check = check }

    public func notReadyReason() async -> String? { await check() }
}
