import KubeAPI

/// What a `Watcher` yields: kube-rs's `watcher::Event`, plus errors as values.
///
/// A (re)list arrives as `initStarted`, any number of `initPage`s and `initDone`: a consumer
/// that keeps state (the `Store`) buffers the pages and swaps them in at `initDone`, so a relist
/// never shows a partial cache and never keeps a ghost of an object deleted while unwatched.
public enum WatcherEvent<Object: KubeResource>: Sendable {
    case initStarted
    case initPage([Object])
    case initDone
    /// An object was added or modified (level-triggered: the latest state).
    case apply(Object)
    /// An object was deleted (its last known state).
    case delete(Object)
    /// A failure the watcher recovers from by itself (after a backoff, or at once for `.serverGone`);
    /// for logging.
    case error(WatcherError)
}

/// A recoverable failure seen by the watcher.
public struct WatcherError: Error, Sendable, CustomStringConvertible {
    public enum Phase: String, Sendable { case list, watch }
    public enum Kind: Sendable, Equatable {
        /// The resource version expired (410); a full relist follows.
        case gone
        /// A watch delivered nothing for longer than its timeout; it is restarted.
        case idle
        /// The server went away under an open watch (shutdown, restart, reset): resumed at once
        /// from the last resourceVersion, after `retryAfter` (a small jitter), without a backoff.
        case serverGone
        /// Any other failure (transport, 5xx, decode), retried after a backoff.
        case failed
    }

    public var phase: Phase
    public var kind: Kind
    public var message: String
    /// How long the watcher waits before the next attempt.
    public var retryAfter: Duration

    public var description: String {
        "\(phase.rawValue) \(kind): \(message) (retry in \(retryAfter))"
    }
}
