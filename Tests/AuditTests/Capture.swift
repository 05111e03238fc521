import Audit
import Logging
import Synchronization

/// A log handler that keeps every line (level, message, metadata) for assertions.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let lines = Mutex<[Line]>([])

    var all: [Line] { lines.withLock { $0 } }

    func append(_ line: Line) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        Logger(label: "audit-test") { _ in Handler(sink: self) }
    }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.append(Line(level: event.level, message: "\(event.message)",
                             metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}

/// An in-process Kubernetes event publisher that keeps what it was given.
final class RecordingPublisher: KubeEventPublishing {
    private let events = Mutex<[KubeEventNote]>([])

    var published: [KubeEventNote] { events.withLock { $0 } }

    func publish(_ event: KubeEventNote) { events.withLock { $0.append(event) } }
}
