import Logging
import Synchronization

/// Collects the log records of a `logger` in memory, so a test asserts what was logged — the errors
/// it expects, and above all what never was (a token, a secret) — instead of printing it.
///
/// Each record keeps its level, message and metadata (the handler's and the event's merged, the
/// event's winning) and a rendered line, `"<level> <message> <key>=<value> …"` with the keys sorted.
/// `logger` logs at `level` and above; `waitFor(_:)` returns once a matching record arrives.
/// The one recorder of the test targets (GitHubTests, OperatorTests, KubeRuntimeTests, AuditTests).
public final class LogRecorder: Sendable {
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
        /// `"<level> <message> <key>=<value> …"`, keys sorted.
        public var line: String {
            "\(level) \(message) \(metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        }
    }

    private struct State {
        var records: [Record] = []
        var waiters: [(matches: @Sendable (Record) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    /// The lowest level `logger` logs at.
    public let level: Logger.Level

    public init(level: Logger.Level = .trace) { self.level = level }

    /// Every record so far, oldest first.
    public var records: [Record] { state.withLock { $0.records } }

    /// Every record so far as its rendered line, oldest first.
    public var all: [String] { records.map(\.line) }

    /// The messages logged at exactly `level`.
    public func messages(at level: Logger.Level) -> [String] { records.filter { $0.level == level }.map(\.message) }

    /// A logger at `level` whose records land here.
    public var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// Returns once a record matching `matches` has been logged (at once if one already was).
    /// Unbounded: call it under a test time limit, or after the work that logs has run.
    public func waitFor(_ matches: @escaping @Sendable (Record) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.records.contains(where: matches) { return true }
                s.waiters.append((matches, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    fileprivate func append(_ record: Record) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.records.append(record)
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { waiter in
                guard waiter.matches(record) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        ready.forEach { $0.resume() }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(Record(level: event.level, message: "\(event.message)",
                                   metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}
