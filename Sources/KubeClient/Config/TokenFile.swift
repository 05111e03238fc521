import FoundationEssentials
import Synchronization

/// A bearer token kept in a file (projected service-account tokens rotate), re-read at most
/// `refreshInterval` after the last read.
///
/// Contract: `current()` returns the file's content (trimmed) as of at most `refreshInterval`
/// ago; when a re-read fails, the last good token is kept and the read retried on the next call.
/// The clock is injectable so tests can advance time without sleeping.
public final class TokenFile: Sendable {
    public let path: String
    public let refreshInterval: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex<(token: String?, readAt: ContinuousClock.Instant?)>((nil, nil))

    public init(path: String, refreshInterval: Duration = .seconds(60),
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.path = path
        self.refreshInterval = refreshInterval
        self.now = now
    }

    /// The token to send now.
    /// - Throws: `KubeConfigError` when the file has never been readable or is empty.
    public func current() throws(KubeConfigError) -> String {
        let t = now()
        let cached = state.withLock { s -> String? in
            if let token = s.token, let readAt = s.readAt, t - readAt < refreshInterval { return token }
            return nil
        }
        if let cached { return cached }
        let fresh = FileManager.default.contents(atPath: path)
            .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace }
        return try state.withLock { s throws(KubeConfigError) -> String in
            if let fresh, !fresh.isEmpty {
                s = (fresh, t)
                return fresh
            }
            if let token = s.token { return token }
            throw KubeConfigError(file: path, field: "token", message: "token file is missing or empty")
        }
    }
}
