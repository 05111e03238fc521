import KubeAPI
import KubeClient

/// `ListWatchSource` over KubeClient: LIST pages and WATCH with bookmarks, for one resource,
/// optionally narrowed to a namespace and label/field selectors.
///
/// The watch's own idle detection is left to the `Watcher` (which restarts silent watches), so the
/// client-side idle timeout is off here.
public struct KubeClientListWatch<Object: KubeResource>: ListWatchSource {
    public let client: KubeClient
    public var namespace: String?
    public var labelSelector: String?
    public var fieldSelector: String?

    public init(client: KubeClient, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil) {
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    public func list(limit: Int, continueToken: String?) async throws -> KubeList<Object> {
        try await client.list(Object.self, namespace: namespace,
                              options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                                   limit: limit, continue: continueToken))
    }

    public func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<Object>, any Error> {
        client.watch(Object.self, namespace: namespace, options: watchOptions(resourceVersion, timeoutSeconds))
    }

    /// The events of one read of the connection as one batch (`KubeClient.watchBatches`).
    public func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<[WatchEvent<Object>], any Error> {
        client.watchBatches(Object.self, namespace: namespace, options: watchOptions(resourceVersion, timeoutSeconds))
    }

    /// Both watch forms' options: the selectors, bookmarks on, no client-side idle timeout.
    private func watchOptions(_ resourceVersion: String, _ timeoutSeconds: Int) -> WatchOptions {
        WatchOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
                     allowWatchBookmarks: true, timeoutSeconds: timeoutSeconds, idleTimeout: nil)
    }
}

/// `LeaseClient` over KubeClient.
///
/// Every Lease call gives up after `requestTimeout` (default 4 s) and is never retried here (the
/// elector retries every `retryPeriod`), so one acquire-or-renew attempt — a GET and a PUT — ends
/// within 8 s, inside the default 10 s renew deadline. A leader whose API server hangs therefore
/// notices the missed deadline and stops leading before a standby can take over (15 s lease):
/// with an unbounded request it would keep its workers running next to the new leader.
public struct KubeClientLeaseClient: LeaseClient {
    public let client: KubeClient

    public init(client: KubeClient, requestTimeout: Duration = .seconds(4)) {
        self.client = client.with(requestTimeout: requestTimeout, retryPolicy: .none)
    }

    public func get(namespace: String, name: String) async throws -> Lease? {
        do {
            return try await client.get(Lease.self, namespace: namespace, name: name)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    public func create(_ lease: Lease) async throws -> Lease { try await client.create(lease) }

    public func replace(_ lease: Lease) async throws -> Lease { try await client.replace(lease) }
}

/// `EventSink` over KubeClient (`events.k8s.io/v1`).
public struct KubeClientEventSink: EventSink {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    /// The create's answer is not decoded (`createDiscardingResult`): the recorder knows the name.
    public func create(_ event: Event) async throws { try await client.createDiscardingResult(event) }

    public func updateSeries(namespace: String, name: String, series: EventSeries) async throws {
        let patch: JSONValue = ["series": ["count": .int(Int64(series.count)),
                                           "lastObservedTime": .string(series.lastObservedTime.description)]]
        _ = try await client.patch(Event.self, namespace: namespace, name: name, .merge(patch))
    }
}

/// `FinalizerClient` over KubeClient: a JSON patch that tests the resourceVersion first, so a
/// write based on a stale object fails with 409/422 instead of clobbering others' finalizers.
public struct KubeClientFinalizerClient<Object: KubeResource>: FinalizerClient {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    public func setFinalizers(_ finalizers: [String], of object: Object) async throws -> Object {
        guard let name = object.metadata.name else { throw KubeError.decoding("object without metadata.name") }
        var ops: [JSONPatchOperation] = []
        if let rv = object.metadata.resourceVersion {
            ops.append(.test(path: "/metadata/resourceVersion", value: .string(rv)))
        }
        ops.append(.add(path: "/metadata/finalizers", value: .array(finalizers.map { .string($0) })))
        return try await client.patch(Object.self, namespace: object.metadata.namespace, name: name, .json(ops))
    }
}
