import Synchronization

/// Named points inside a reconcile where a test may suspend it (fault injection: delays and
/// forced interleavings between a read and the conditional write that follows it).
///
/// Contract: without a handler every point returns at once; a handler runs on the reconciling
/// task, so whatever it awaits happens between the read and the write of that point. Points:
/// - `renew RunNamespace <name>`: revise reuse read the RunNamespace and decided to renew it;
/// - `claim RunNamespace <name>`: expiry re-read the RunNamespace and decided to claim it.
public final class FaultPoints: Sendable {
    private let handler = Mutex<(@Sendable (String) async -> Void)?>(nil)

    public init() {}

    /// Installs `handler` (nil removes it).
    public func set(_ handler: (@Sendable (String) async -> Void)?) {
        self.handler.withLock { $0 = handler }
    }

    func reach(_ point: String) async {
        if let h = handler.withLock({ $0 }) { await h(point) }
    }
}
