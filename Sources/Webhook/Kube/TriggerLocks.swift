/// One in-process lock per trigger: deliveries of the same trigger (repository, issue, stage,
/// revise) run their check-then-create one at a time, in arrival order; other triggers never wait.
///
/// Contract: `locked(key, body)` runs `body` while no other `body` of an equal key runs in this
/// process; the entry of a key is dropped when nobody holds or waits for it (memory stays bounded
/// by the keys in flight).
public actor TriggerLocks {
    private var waiters: [TriggerKey: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    private func acquire(_ key: TriggerKey) async {
        if waiters[key] == nil {
            waiters[key] = []
            return
        }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    private func release(_ key: TriggerKey) {
        guard var queue = waiters[key], !queue.isEmpty else {
            waiters[key] = nil
            return
        }
        let next = queue.removeFirst()
        waiters[key] = queue
        next.resume()
    }

    /// The number of keys held or waited for (for tests).
    public var keysInFlight: Int { waiters.count }

    public nonisolated func locked<T: Sendable>(_ key: TriggerKey, _ body: @Sendable () async -> T) async -> T {
        await acquire(key)
        let result = await body()
        await release(key)
        return result
    }
}
