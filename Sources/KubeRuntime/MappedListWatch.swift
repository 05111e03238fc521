import KubeAPI
import KubeClient

/// A `ListWatchSource` whose objects are another source's, converted one by one: every item of
/// a LIST page and the object of every added, modified and deleted watch event goes through
/// `map`; bookmarks, errors, page metadata and failures pass unchanged, and the base's watch
/// batches stay batches (`watchBatches`).
///
/// Used to decode a kind into a partial form (e.g. without its `spec`) that `map` turns back into
/// the cached model, so a cache whose transform drops fields never decodes them. `map` must keep
/// what the store needs (`metadata.name`, `namespace`, indexed labels, `ownerReferences`) and
/// must be pure and cheap: it runs once per object per event, as a `CacheTransform` does.
public struct MappedListWatch<Base: ListWatchSource, Object: KubeResource>: ListWatchSource {
    public let base: Base
    public let map: @Sendable (Base.Object) -> Object

    public init(_ base: Base, map: @escaping @Sendable (Base.Object) -> Object) {
        self.base = base
        self.map = map
    }

    public func list(limit: Int, continueToken: String?) async throws -> KubeList<Object> {
        let page = try await base.list(limit: limit, continueToken: continueToken)
        return KubeList(apiVersion: page.apiVersion, kind: page.kind, metadata: page.metadata, items: page.items.map(map))
    }

    public func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<Object>, any Error> {
        let events = try await base.watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
        let iterator = IteratorBox(events.makeAsyncIterator())
        let map = self.map
        return AsyncThrowingStream(unfolding: {
            guard let event = try await iterator.next() else { return nil }
            return Self.mapped(event, map)
        })
    }

    /// The base's batches, each event mapped (one hand-off per batch, as the base's).
    public func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<[WatchEvent<Object>], any Error> {
        let batches = try await base.watchBatches(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
        let iterator = IteratorBox(batches.makeAsyncIterator())
        let map = self.map
        return AsyncThrowingStream(unfolding: {
            guard let batch = try await iterator.next() else { return nil }
            return batch.map { Self.mapped($0, map) }
        })
    }

    private static func mapped(_ event: WatchEvent<Base.Object>, _ map: (Base.Object) -> Object) -> WatchEvent<Object> {
        switch event {
        case .added(let o): return .added(map(o))
        case .modified(let o): return .modified(map(o))
        case .deleted(let o): return .deleted(map(o))
        case .bookmark(let meta): return .bookmark(meta)
        case .error(let status): return .error(status)
        }
    }
}
