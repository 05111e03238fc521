import NIOCore
import NIOHTTP1

/// A list at a resourceVersion the store has not reached yet waits for it, as the watch cache does
/// (`waitUntilFreshAndBlock`, 3 s in kube-apiserver; `ServerOptions.resourceVersionWait`), then is
/// answered: the list if the store caught up meanwhile, else `504 Too large resource version`.
/// The wait polls on the connection's event loop; it never holds the store's lock or blocks a thread.
extension HTTPHandler {
    /// The resourceVersion a list request asks the store to have reached (nil: no wait applies).
    static func awaitedResourceVersion(_ request: APIRequest, _ info: RequestInfo) -> Int64? {
        guard info.isResourceRequest, info.verb == "list", (request.query["continue"] ?? "").isEmpty,
              let rv = request.query["resourceVersion"].flatMap({ Int64($0) }), rv > 0 else { return nil }
        return rv
    }

    func respondWhenFresh(context: ChannelHandlerContext, head: HTTPRequestHead, request: APIRequest, info: RequestInfo) {
        guard let wanted = Self.awaitedResourceVersion(request, info), server.store.currentResourceVersion < wanted else {
            respond(context: context, head: head, request: request, info: info)
            return
        }
        let wait = max(0, min(server.options.resourceVersionWait, 3600))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(wait * 1e9))
        pollFresh(context: context, head: head, request: request, info: info, wanted: wanted, deadline: deadline)
    }

    private func pollFresh(context: ChannelHandlerContext, head: HTTPRequestHead, request: APIRequest, info: RequestInfo,
                           wanted: Int64, deadline: NIODeadline) {
        if server.store.currentResourceVersion >= wanted || NIODeadline.now() >= deadline {
            respond(context: context, head: head, request: request, info: info)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(20)) {
            self.pollFresh(context: context, head: head, request: request, info: info, wanted: wanted, deadline: deadline)
        }
    }
}
