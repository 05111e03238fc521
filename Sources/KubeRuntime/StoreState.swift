import KubeAPI

/// The tables of a `Store`, without its object type: every cached object is held as a
/// `StoredBox` (its `CachedObject` without the type) and every index function as an
/// `ErasedKeyFunction`, so the code that runs under the store's lock works on concrete types
/// and is compiled once, specialized, in this module.
///
/// Why: as `Store<Object>.State` the tables' types depended on `Object`; code of a generic class
/// runs unspecialized when it is called from another module (the operator's stores), and every
/// table operation looked its type's metadata up at run time (`swift_getGenericMetadata`: ≈ 10 %
/// of the operator's pool-thread instructions, most of it here; docs/performance.md, "CPU, tenth
/// pass").
///
/// Contract: a box in `objects` or `buffer` is always a `CachedObject<Object>` of the store's
/// `Object`, and a function in `indexes.functions` an `IndexFunctionBox<Object>` — `Store` is
/// the only writer and unwraps them with `unsafeDowncast` (no check at run time).
struct StoreState: Sendable {
    /// The objects, boxed (`CachedObject`: a bucket is a reference, not the object's layout).
    var objects = ShardedDictionary<ObjectKey, StoredBox>()
    /// label key → label value → objects.
    var byLabel: [String: ShardedDictionary<String, IndexedKeys>] = [:]
    var byOwner = ShardedDictionary<String, IndexedKeys>()
    var indexes = StoreIndexTables()
    var buffer: ShardedDictionary<ObjectKey, StoredBox>?
    var ready = false
    var readyWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter: UInt64 = 0

    /// The boxes of the objects `listed` names that are cached (all of them, as the indexes agree
    /// with the objects), in `listed.keys` order.
    func boxes(of listed: IndexedKeys?) -> [StoredBox] {
        switch listed {
        case nil: return []
        case .one(let key)?: return objects[key].map { [$0] } ?? []
        case .many(let keys)?:
            var boxes: [StoredBox] = []
            boxes.reserveCapacity(keys.count)
            for key in keys { if let box = objects[key] { boxes.append(box) } }
            return boxes
        }
    }
}

/// A cached object's box (a `CachedObject<Object>`) without its type.
/// `@unchecked Sendable`: `CachedObject` is immutable and `Sendable` (see there).
struct StoredBox: @unchecked Sendable {
    let object: AnyObject
}

/// The secondary indexes' functions and tables (see `StoreIndexes`).
struct StoreIndexTables: Sendable {
    var functions: [String: ErasedKeyFunction] = [:]
    /// index name → index value → objects (sharded like the store's objects).
    var entries: [String: ShardedDictionary<String, IndexedKeys>] = [:]

    mutating func removeAll() { entries = [:] }
}

/// An index function (an `IndexFunctionBox<Object>`) without its object type.
/// `@unchecked Sendable`: the box is immutable and holds a `@Sendable` function.
struct ErasedKeyFunction: @unchecked Sendable {
    let box: AnyObject
}

/// Holds one index function of a `Store<Object>`.
final class IndexFunctionBox<Object: KubeResource>: Sendable {
    let keys: StoreIndexes<Object>.KeyFunction

    init(_ keys: @escaping StoreIndexes<Object>.KeyFunction) { self.keys = keys }
}
