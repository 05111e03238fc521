import KubeAPI
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection or one HTTP/2 stream (behind `HTTP2FramePayloadToHTTP1ServerCodec`):
/// collects a request, applies faults and latency, answers it through `APIHandler`, logs it;
/// watches become a chunked stream (HTTP/2: DATA frames) fed by a `ChannelWatchSink`.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: ServerCore
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var watchID: Int?
    private var watchTasks: [Scheduled<Void>] = []
    private var bookmarkTask: RepeatedTask?

    /// Whether this handler is the first to see its connection become active, and so registers it
    /// (`ServerCore.admit`): plain-HTTP-only servers. With TLS, `TLSOrPlainHTTP` admits the
    /// connection; an HTTP/2 stream is not a connection.
    let admitsConnection: Bool

    init(server: ServerCore, admitsConnection: Bool) {
        self.server = server
        self.admitsConnection = admitsConnection
    }

    func channelActive(context: ChannelHandlerContext) {
        // Faults/ServerOutage.swift
        guard !admitsConnection || server.admit(context.channel) else { return context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.connections.remove(context.channel)
        endWatch()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buf):
            if let bytes = buf.readBytes(length: buf.readableBytes) { body += bytes }
        case .end:
            guard let h = head else { return }
            head = nil
            // A new request means the previous response (maybe a watch) has ended: drop its timers.
            endWatch()
            var headers: [String: String] = [:]
            for (k, v) in h.headers { headers[k.lowercased()] = headers[k.lowercased()].map { "\($0),\(v)" } ?? v }
            let request = APIRequest(method: h.method.rawValue, uri: h.uri, headers: headers, body: body)
            body = []
            let info = RequestInfo(method: request.method, path: request.path, query: request.query)
            let delay = server.faults.latency(for: info)
            if delay > 0 {
                let loop = context.eventLoop.assumeIsolated()
                loop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) {
                    self.respondWhenFresh(context: context, head: h, request: request, info: info)
                }
            } else {
                respondWhenFresh(context: context, head: h, request: request, info: info)
            }
        }
    }

    func respond(context: ChannelHandlerContext, head: HTTPRequestHead, request: APIRequest, info: RequestInfo) {
        let response: APIResponse
        if let fault = server.faults.failure(for: info) {
            response = .error(fault)
        } else {
            response = server.api.handle(request, info: info)
        }
        server.log.append(LoggedRequest(verb: info.verb, resource: info.isResourceRequest ? info.qualifiedResource : "",
                                        subresource: info.subresource, namespace: info.namespace, name: info.name,
                                        path: request.path, code: response.code, userAgent: request.headers["user-agent"],
                                        httpVersion: head.version.major == 2 ? "2" : "\(head.version.major).\(head.version.minor)"))
        switch response {
        case .full(let code, let headers, let bytes):
            var h = HTTPHeaders(headers)
            h.add(name: "Content-Length", value: String(bytes.count))
            h.add(name: "Cache-Control", value: "no-cache, private")
            h.add(name: "Audit-Id", value: ObjectNames.uid())
            let keepAlive = head.isKeepAlive
            if !keepAlive { h.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: code),
                                                                 headers: h))), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
        case .watch(let plan):
            startWatch(context: context, head: head, plan: plan)
        }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, plan: WatchPlan) {
        // A watch answered late (latency fault, resourceVersion wait) whose client went away
        // meanwhile (an HTTP/2 reset, a closed connection): `channelInactive` ran before there was
        // a watch to end, so none may be registered now.
        guard context.channel.isActive else { return }
        var h = HTTPHeaders()
        h.add(name: "Content-Type", value: plan.filter.asTable ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json")
        h.add(name: "Transfer-Encoding", value: "chunked")
        h.add(name: "Cache-Control", value: "no-cache, private")
        h.add(name: "Audit-Id", value: ObjectNames.uid())
        // Register before writing the head (frames are only ever enqueued for later loop ticks), so a
        // client that has read the response head knows its watch is in place.
        let sink = ChannelWatchSink(channel: context.channel, keepAlive: head.isKeepAlive)
        let registered = Result { () throws(APIError) in
            try server.store.watch(plan.filter, resourceVersion: plan.resourceVersion,
                                   sendInitialEvents: plan.sendInitialEvents, bookmarks: plan.bookmarks, sink: sink)
        }
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: h))),
                              promise: nil)
        do {
            guard let id = try registered.get() else { return }
            watchID = id
            let store = server.store
            let loop = context.eventLoop.assumeIsolated()
            watchTasks.append(loop.scheduleTask(in: .nanoseconds(Int64(plan.timeout * 1e9))) {
                store.stopWatch(id)
                sink.finish()
            })
            if plan.bookmarks {
                let interval = TimeAmount.nanoseconds(Int64(server.options.bookmarkInterval * 1e9))
                bookmarkTask = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                    store.sendBookmarks(watcherID: id)
                }
                // Like the cacher, one more ~2 s before the deadline, so a client resumes from a fresh version.
                if plan.timeout > 2 {
                    watchTasks.append(loop.scheduleTask(in: .nanoseconds(Int64((plan.timeout - 2) * 1e9))) {
                        store.sendBookmarks(watcherID: id)
                    })
                }
            }
        } catch {
            sink.sendFrame(type: "ERROR", objectBytes: error.status.serialized())
            sink.finish()
        }
    }

    private func endWatch() {
        if let id = watchID { server.store.stopWatch(id) }
        watchID = nil
        for t in watchTasks { t.cancel() }
        watchTasks = []
        bookmarkTask?.cancel()
        bookmarkTask = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
