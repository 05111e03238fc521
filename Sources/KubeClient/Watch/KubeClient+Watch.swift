import KubeAPI
import Synchronization

extension KubeClient {
    /// Watches a collection: a stream of ADDED/MODIFIED/DELETED/BOOKMARK events.
    ///
    /// Contract: the stream ends normally when the server closes the watch (e.g. `timeoutSeconds`);
    /// it throws `KubeError.gone` on 410/Expired (relist, then watch from the new version), the
    /// typed error of any other ERROR event or non-2xx answer, `.idleTimeout` when no bytes arrive
    /// for `options.idleTimeout`, and `.transport` on connection failures. Watches are not retried
    /// here: restarting with the last seen resourceVersion is the caller's (watcher's) job.
    /// Cancelling the consuming task or dropping the stream aborts the transfer at once.
    public func watch(_ r: ResourceDescriptor, namespace: String? = nil,
                      options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<WatchEvent<JSONValue>, any Error> {
        watchEvents(JSONValue.self, r, namespace: namespace, options: options)
    }

    /// The typed watch: objects decoded as `T`.
    public func watch<T: KubeResource>(_ type: T.Type, namespace: String? = nil,
                                       options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        watchEvents(T.self, T.resource, namespace: namespace, options: options)
    }

    /// The raw records of a watch (one JSON document each), framed on the loop thread.
    public func watchRecords(_ r: ResourceDescriptor, namespace: String? = nil,
                             options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<[UInt8], any Error> {
        let call = Call(verb: "watch", method: "GET", path: r.collectionPath(namespace: r.namespaced ? namespace : nil),
                        query: options.query, resource: r, idempotent: true)
        return AsyncThrowingStream(bufferingPolicy: .unbounded) { continuation in
            let request: HTTPRequest
            do {
                request = try httpRequest(call, streaming: true, idleTimeout: options.idleTimeout)
            } catch {
                continuation.finish(throwing: error)
                return
            }
            let framer = Mutex(LineFramer())
            let started = ContinuousClock.now
            let handle = loop.stream(request, onData: { bytes in
                let ok = framer.withLock { f in (try? f.append(bytes) { continuation.yield($0) }) != nil }
                if !ok {
                    continuation.finish(throwing: KubeError.decoding("watch record too large"))
                }
            }, onComplete: { [self] result in
                switch result {
                case .success(let response):
                    record(call, response.status, started, 1)
                    if (200..<300).contains(response.status) {
                        if let rest = framer.withLock({ $0.finish() }) { continuation.yield(rest) }
                        continuation.finish()
                    } else {
                        continuation.finish(throwing: mapError(response, call))
                    }
                case .failure(.cancelled):
                    continuation.finish()
                case .failure(let f):
                    record(call, nil, started, 1)
                    continuation.finish(throwing: KubeError(f))
                }
            })
            continuation.onTermination = { _ in handle.cancel() }
        }
    }

    func watchEvents<T: Decodable & Sendable>(_ type: T.Type, _ r: ResourceDescriptor, namespace: String?,
                                              options: WatchOptions) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let records = IteratorBox(watchRecords(r, namespace: namespace, options: options).makeAsyncIterator())
        let decoder = WatchEventDecoder<T>()
        return AsyncThrowingStream(unfolding: {
            guard let record = try await records.next() else { return nil }
            return try decoder.decode(record)
        })
    }
}

/// Lets the single consumer of an unfolding stream own a non-Sendable iterator.
/// Safe because `AsyncThrowingStream(unfolding:)` never calls its closure concurrently.
final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable {
    private var base: Base
    init(_ base: Base) { self.base = base }
    func next() async throws -> Base.Element? { try await base.next() }
}
