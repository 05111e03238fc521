import Logging
@testable import KubeRuntime

/// Collects log records in memory, so a test asserts the errors it expects instead of printing
/// them. `logger` logs at `level` and above into `records`.
final class LogCapture: Sendable {
    struct Record: Sendable, Equatable {
        var level: Logger.Level
        var message: String
    }

    private let captured = Locked([Record]())
    let level: Logger.Level

    init(level: Logger.Level = .warning) { self.level = level }

    var records: [Record] { captured.withLock { $0 } }

    /// Messages logged at exactly `level`.
    func messages(at level: Logger.Level) -> [String] { records.filter { $0.level == level }.map(\.message) }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ record: Record) { captured.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Record(level: event.level, message: event.message.description))
        }
    }
}
