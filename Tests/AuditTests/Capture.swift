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

    private struct State {
        var lines: [Line] = []
        var waiters: [(matches: @Sendable (Line) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var all: [Line] { state.withLock { $0.lines } }

    func append(_ line: Line) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.lines.append(line)
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { waiter in
                guard waiter.matches(line) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        ready.forEach { $0.resume() }
    }

    /// Returns once a line matching `matches` has been logged (at once if one already was).
    func waitFor(_ matches: @escaping @Sendable (Line) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.lines.contains(where: matches) { return true }
                s.waiters.append((matches, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

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
