import KubeClient
import Metrics

/// Why a watch was restarted: the `reason` label of `watch_restarts_total`.
public enum WatchRestartReason: String, Sendable, CaseIterable {
    /// The server went away under an open stream (shutdown, restart, connection reset): resumed at once.
    case serverGone = "server_gone"
    /// A failed list or watch (server unreachable, HTTP error, very short watch), retried after a backoff.
    case error
    /// The resourceVersion expired (410): a full relist follows.
    case gone
    /// The stream ended at its `timeoutSeconds`, or delivered nothing past it (idle): reopened at once.
    case timeout
}

extension WatchFailure {
    /// libcurl codes that end an established stream when the server goes away: 18 (transfer closed
    /// with data outstanding — a graceful HTTP/2 shutdown or a connection closed mid-chunk), 52 (empty
    /// reply), 55/56 (send/receive failure, connection reset), 16 and 92 (HTTP/2 GOAWAY or RST_STREAM).
    static let serverGoneCurlCodes: Set<Int> = [16, 18, 52, 55, 56, 92]
    /// libcurl codes for a server that cannot be reached at all: 6/7 (resolve, connect refused),
    /// 28 (timeout), 35 (TLS handshake).
    static let unreachableCurlCodes: Set<Int> = [6, 7, 28, 35]

    /// Whether `error` means the server went away under the request (see `serverGoneCurlCodes`).
    public static func isServerGone(_ error: any Error) -> Bool {
        guard case .transport(let code, _)? = error as? KubeError else { return false }
        return serverGoneCurlCodes.contains(code)
    }

    /// Whether `error` means the server is not reachable or not serving yet: a server-gone or
    /// connect failure, a silent connection, or HTTP 502/503/504 (an apiserver starting up or a
    /// proxy in front of one that is down).
    public static func isUnreachable(_ error: any Error) -> Bool {
        guard let e = error as? KubeError else { return false }
        switch e {
        case .transport(let code, _): return serverGoneCurlCodes.contains(code) || unreachableCurlCodes.contains(code)
        case .idleTimeout: return true
        case .server(let code, _, _): return [502, 503, 504].contains(code)
        default: return false
        }
    }
}

/// The watcher's metrics: `watch_restarts_total{resource,reason}` and
/// `watch_recovery_seconds{resource}` — the time from a watch breaking (any reason but `timeout`)
/// to the first sign of a working watch again (a completed list, or an event or bookmark on the
/// new stream). With nothing changing, that sign is the first bookmark, so the histogram is an
/// upper bound of the cache's staleness.
struct WatcherMetrics: Sendable {
    private let restarts: [WatchRestartReason: Counter]
    private let recovery: Metrics.Timer

    init(resource: String, factory: any MetricsFactory) {
        var restarts: [WatchRestartReason: Counter] = [:]
        for reason in WatchRestartReason.allCases {
            restarts[reason] = Counter(label: "watch_restarts_total",
                                       dimensions: [("resource", resource), ("reason", reason.rawValue)],
                                       factory: factory)
        }
        self.restarts = restarts
        recovery = Metrics.Timer(label: "watch_recovery_seconds", dimensions: [("resource", resource)],
                                 preferredDisplayUnit: .seconds, factory: factory)
    }

    func restarted(_ reason: WatchRestartReason) { restarts[reason]?.increment() }
    func recovered(after duration: Duration) { recovery.recordNanoseconds(duration.nanoseconds) }
}
