import Logging
import Synchronization

/// Collects every log record at trace level and above, rendered as one line each:
/// `"<level> <message> <key>=<value> …"` (handler and event metadata merged, keys sorted), so a
/// test can assert what was logged — and, above all, what never was (a token, a secret).
public final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// Every line recorded so far, oldest first.
    public var all: [String] { lines.withLock { $0 } }

    /// A logger at trace level whose records land here.
    public var logger: Logger {
        var l = Logger(label: "test") { _ in Handler(recorder: self) }
        l.logLevel = .trace
        return l
    }

    fileprivate func append(_ s: String) { lines.withLock { $0.append(s) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
