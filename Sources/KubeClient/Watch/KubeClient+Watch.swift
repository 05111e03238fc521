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

    /// The typed watch, its events in batches: what one read of the connection delivered (a
    /// burst of events) arrives as one array, so the consumer wakes once for all of them.
    ///
    /// Contract: the same events, in the same order, with the same end and errors as
    /// `watch(_:namespace:options:)`; batches are never empty. A record that fails (an ERROR
    /// event, a decoding error, a record over the size limit) ends the stream with its error after
    /// a batch of the events before it in its read.
    public func watchBatches<T: KubeResource>(_ type: T.Type, namespace: String? = nil,
                                              options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<[WatchEvent<T>], any Error> {
        watchEventBatches(T.self, T.resource, namespace: namespace, options: options)
    }

    /// The raw records of a watch (one JSON document each), framed on the loop thread.
    public func watchRecords(_ r: ResourceDescriptor, namespace: String? = nil,
                             options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream(bufferingPolicy: .unbounded) { continuation in
            let handle = startWatch(r, namespace: namespace, options: options,
                                    deliver: { for record in $0 { continuation.yield(record) } },
                                    finish: { continuation.finish(throwing: $0) })
            continuation.onTermination = { _ in handle?.cancel() }
        }
    }

    /// The raw records of a watch in batches: the records framed from one read of the connection
    /// (libcurl: one chunk) as one element, never empty; ended as `watchRecords`.
    public func watchRecordBatches(_ r: ResourceDescriptor, namespace: String? = nil,
                                   options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<[[UInt8]], any Error> {
        recordBatches(r, namespace: namespace, options: options, framer: LineFramer())
    }

    /// `watchRecordBatches` with the record size limit in `framer` (tests give a small one).
    func recordBatches(_ r: ResourceDescriptor, namespace: String?, options: WatchOptions,
                       framer: LineFramer) -> AsyncThrowingStream<[[UInt8]], any Error> {
        AsyncThrowingStream(bufferingPolicy: .unbounded) { continuation in
            let handle = startWatch(r, namespace: namespace, options: options, framer: framer,
                                    deliver: { WatchBatchDelivery.yield($0, continuation) },
                                    finish: { continuation.finish(throwing: $0) })
            continuation.onTermination = { _ in handle?.cancel() }
        }
    }

    /// Opens the watch: `deliver` gets the records framed since the last delivery (never empty)
    /// at the end of each read; `finish` is called exactly once, last (nil: a normal end), after a
    /// `deliver` of the records that preceded the end or the failure, and nothing is delivered
    /// after it. Nil if the request could not be built (`finish` has been called).
    ///
    /// How: the transport calls `onData`, `onFlush` and `onComplete` one at a time (on its loop
    /// thread); the first end sets `WatchFraming.ended` under the framing lock, after which bytes
    /// are dropped, nothing is handed over and later ends (another oversize chunk, the stream's
    /// `onComplete` after a failure) are ignored.
    func startWatch(_ r: ResourceDescriptor, namespace: String?, options: WatchOptions,
                    framer: LineFramer = LineFramer(),
                    deliver: @escaping @Sendable ([[UInt8]]) -> Void,
                    finish: @escaping @Sendable ((any Error)?) -> Void) -> StreamHandle? {
        let call = Call(verb: "watch", method: "GET", path: r.collectionPath(namespace: r.namespaced ? namespace : nil),
                        query: options.query, resource: r, idempotent: true)
        let request: HTTPRequest
        do {
            request = try httpRequest(call, streaming: true, idleTimeout: options.idleTimeout)
        } catch {
            finish(error)
            return nil
        }
        let framing = Mutex(WatchFraming(framer: framer))
        let started = ContinuousClock.now
        let flush: @Sendable () -> Void = {
            let batch = framing.withLock { $0.take() }
            if !batch.isEmpty { deliver(batch) }
        }
        let end: @Sendable ((any Error)?) -> Void = { error in
            if framing.withLock({ $0.end() }) { finish(error) }
        }
        return loop.stream(request, onData: { bytes in
            let tooLarge = framing.withLock { $0.append(bytes) }
            if tooLarge {
                flush()
                end(KubeError.decoding("watch record too large"))
            }
        }, onFlush: flush, onComplete: { [self] result in
            switch result {
            case .success(let response):
                record(call, response.status, started, 1)
                if (200..<300).contains(response.status) {
                    framing.withLock { $0.finish() }
                    flush()
                    end(nil)
                } else {
                    end(mapError(response, call))
                }
            case .failure(.cancelled):
                end(nil)
            case .failure(let f):
                record(call, nil, started, 1)
                flush()
                end(KubeError(f))
            }
        })
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

    /// The decoded batches of `recordBatches`; `framer` sets the record size limit (tests).
    func watchEventBatches<T: Decodable & Sendable>(_ type: T.Type, _ r: ResourceDescriptor, namespace: String?,
                                                    options: WatchOptions, framer: LineFramer = LineFramer())
        -> AsyncThrowingStream<[WatchEvent<T>], any Error> {
        let records = recordBatches(r, namespace: namespace, options: options, framer: framer)
        let batches = IteratorBox(BatchDecoding(records.makeAsyncIterator(), WatchEventDecoder<T>()))
        return AsyncThrowingStream(unfolding: { try await batches.next() })
    }
}
