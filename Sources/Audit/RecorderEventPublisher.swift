import KubeAPI
import KubeRuntime
import Synchronization

/// Publishes audit notes as `events.k8s.io/v1` Events through KubeRuntime's `EventRecorder`.
///
/// Contract: `publish` never blocks and never suspends (the audit must not slow reconciling).
/// Notes go through a bounded buffer to ONE consumer task that records them in order, so
/// repeats still aggregate into series; when the buffer is full the newest `capacity` notes are
/// kept and older ones are dropped (and counted in `dropped`). `finish()` stops accepting notes
/// and returns once everything accepted was handed to the recorder.
public final class RecorderEventPublisher: KubeEventPublishing {
    private let continuation: AsyncStream<KubeEventNote>.Continuation
    private let consumer: Task<Void, Never>
    private let droppedCount = Mutex(0)

    /// Notes dropped because the buffer was full.
    public var dropped: Int { droppedCount.withLock { $0 } }

    public init(recorder: EventRecorder, capacity: Int = 1024) {
        let (stream, continuation) = AsyncStream<KubeEventNote>.makeStream(bufferingPolicy: .bufferingNewest(capacity))
        self.continuation = continuation
        consumer = Task {
            for await note in stream {
                await recorder.record(regarding: note.regarding, type: note.type == .warning ? .warning : .normal,
                                      reason: note.reason, action: note.action, note: note.note)
            }
        }
    }

    public func publish(_ note: KubeEventNote) {
        if case .dropped = continuation.yield(note) {
            droppedCount.withLock { $0 += 1 }
        }
    }

    /// Stops accepting notes and waits until every accepted one was recorded.
    public func finish() async {
        continuation.finish()
        await consumer.value
    }
}
