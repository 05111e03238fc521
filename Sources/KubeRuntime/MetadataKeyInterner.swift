import KubeAPI
import Synchronization

/// One copy of each label and annotation key for every object the stores of the process hold.
///
/// Why: a decoded object gets a string of its own for every key of its labels and annotations,
/// and a key longer than 15 UTF-8 bytes (`app.kubernetes.io/managed-by`, `codex-k8s.dev/run`, …)
/// is a heap allocation (~48–64 bytes). Every managed object carries the same handful of keys, so
/// 1,000 runs cached as AgentRuns, RunNamespaces, Namespaces, Jobs and Pods held tens of thousands
/// of copies of ten strings. `Store` passes every object it stores through `intern(_:)`, which
/// rebuilds its `labels` and `annotations` with the process's shared copy of each key.
///
/// Contract:
/// - The objects are equal (`==`) before and after; only where their key strings live changes.
/// - Keys of at most 15 UTF-8 bytes are left alone (Swift stores them inline, no allocation).
/// - At most `capacity` distinct keys are kept (the first seen): objects with keys beyond that
///   keep their own copies, so arbitrary user labels cannot grow the table without bound.
/// - Thread-safe (a `Mutex`); the table lives for the process (keys are a small, closed set).
enum MetadataKeyInterner {
    /// The most keys kept.
    static let capacity = 4096
    private static let table = Mutex(Set<String>())

    /// `meta` with its label and annotation keys replaced by their shared copies.
    static func intern(_ meta: ObjectMeta) -> ObjectMeta {
        guard needsInterning(meta.labels) || needsInterning(meta.annotations) else { return meta }
        var out = meta
        table.withLock { table in
            out.labels = meta.labels.map { shared($0, &table) }
            out.annotations = meta.annotations.map { shared($0, &table) }
        }
        return out
    }

    /// How many keys the table holds (tests).
    static var count: Int { table.withLock { $0.count } }

    private static func needsInterning(_ map: [String: String]?) -> Bool {
        map?.keys.contains { $0.utf8.count > 15 } ?? false
    }

    private static func shared(_ map: [String: String], _ table: inout Set<String>) -> [String: String] {
        var out = [String: String](minimumCapacity: map.count)
        for (key, value) in map {
            guard key.utf8.count > 15 else {
                out[key] = value
                continue
            }
            if let i = table.firstIndex(of: key) {
                out[table[i]] = value
            } else {
                if table.count < capacity { table.insert(key) }
                out[key] = value
            }
        }
        return out
    }
}
