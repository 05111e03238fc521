import KubeAPI
import KubeClient

/// The two API calls a watcher needs for one resource (optionally narrowed to a namespace or a
/// selector by the implementation). KubeRuntime's machinery is written against this protocol;
/// `KubeClientListWatch` adapts KubeClient to it, tests use in-process fakes.
public protocol ListWatchSource<Object>: Sendable {
    associatedtype Object: KubeResource

    /// One page of a list. `continueToken` is the previous page's `metadata.continue`; the last
    /// page has none. Its `metadata.resourceVersion` is where a watch can start.
    /// Throws on failure; a `410 Gone` (expired continue token) must be recognizable by
    /// `WatchFailure.isGone` (`KubeError.gone`, a `Status` with code 410 or a `KubeStatusError`).
    func list(limit: Int, continueToken: String?) async throws -> KubeList<Object>

    /// Opens a watch from `resourceVersion` with bookmarks requested. The stream ends normally when
    /// the server closes it (after `timeoutSeconds`); a 410 arrives as a `.error(Status)` event or
    /// as a thrown gone error. Cancelling the consuming task must close the connection.
    func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<Object>, any Error>

    /// The same watch with its events in batches (what arrived together, in order, never empty):
    /// what the `Watcher` consumes. Same contract as `watch`; a thrown error comes after the
    /// batches of the events before it. An ERROR event ends the watch: the `Watcher` ignores the
    /// events after it in its batch (no source needs to put it last). The default wraps each event
    /// of `watch` in a batch of its own; sources that receive events in bursts
    /// (`KubeClientListWatch`) override it.
    func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<[WatchEvent<Object>], any Error>
}

extension ListWatchSource {
    public func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<[WatchEvent<Object>], any Error> {
        let events = IteratorBox(try await watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
            .makeAsyncIterator())
        return AsyncThrowingStream(unfolding: { try await events.next().map { [$0] } })
    }
}

/// An error that carries the API's `Status` (KubeClient's errors conform through the adapter).
public protocol KubeStatusError: Error {
    var status: Status { get }
}

extension Status: KubeStatusError {
    public var status: Status { self }
}

/// Classifies the failures the watcher must react to specially.
public enum WatchFailure {
    /// Whether `error` is a `410 Gone` / `Expired`: the resource version is too old, relist.
    public static func isGone(_ error: any Error) -> Bool {
        if let e = error as? KubeError { return e.isGone }
        guard let e = error as? any KubeStatusError else { return false }
        return isGone(e.status)
    }

    public static func isGone(_ status: Status) -> Bool {
        status.code == 410 || status.reason == "Expired" || status.reason == "Gone"
    }
}
