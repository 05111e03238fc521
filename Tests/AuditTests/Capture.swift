import Audit
import Synchronization

/// An in-process Kubernetes event publisher that keeps what it was given.
final class RecordingPublisher: KubeEventPublishing {
    private let events = Mutex<[KubeEventNote]>([])

    var published: [KubeEventNote] { events.withLock { $0 } }

    func publish(_ event: KubeEventNote) { events.withLock { $0.append(event) } }
}
