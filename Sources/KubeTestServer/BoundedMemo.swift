import Synchronization

/// A process-wide memo of a pure function of a text (a CRD's CEL rule, a schema `pattern`): the
/// first call computes, later calls answer from the table. Because the function is pure, a held
/// answer is never stale. Memory is bounded: past `limit` distinct keys the table starts over.
final class BoundedMemo<Value: Sendable>: Sendable {
    let limit: Int
    private let entries = Mutex<[String: Value]>([:])

    init(limit: Int) { self.limit = limit }

    /// The held answer for `key`, else `compute(key)` (outside the lock), held from now on.
    func value(for key: String, compute: (String) -> Value) -> Value {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let value = compute(key)
        entries.withLock { table in
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[key] = value
        }
        return value
    }

    /// Keys held (for tests).
    var count: Int { entries.withLock { $0.count } }
}
