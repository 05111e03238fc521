import KubeAPI

/// The keys a store index lists under one value: one key inline, a set from the second on.
///
/// Why: most index values name one object (a run's Job and Pod by `codex-k8s.dev/run`, a Pod by
/// its Job's UID, a run by its namespace or repository+issue), and a `Set` of one key is a heap
/// allocation of ~140 bytes (its header and two buckets); with 1,000 runs cached the operator's
/// indexes held ~6,000 of them. Inline, such a value costs 48 bytes in the table's bucket: the
/// 40-byte `ObjectKey` and the case's tag, padded (`ObjectKeyHashingTests` pins both sizes).
///
/// Contract: a set semantics — inserting a present key or removing an absent one changes nothing;
/// an empty value is never stored (`ShardedDictionary.insert(_:under:)` / `remove(_:under:)` drop
/// the entry when its last key goes).
enum IndexedKeys: Sendable, Equatable {
    case one(ObjectKey)
    case many(Set<ObjectKey>)

    var count: Int {
        switch self {
        case .one: 1
        case .many(let keys): keys.count
        }
    }

    /// The keys, in no order.
    var keys: [ObjectKey] {
        switch self {
        case .one(let key): [key]
        case .many(let keys): Array(keys)
        }
    }

    mutating func insert(_ key: ObjectKey) {
        switch self {
        case .one(let present):
            if present != key { self = .many([present, key]) }
        case .many(var keys):
            self = .one(key)  // drops the reference, so the set below is uniquely held and grows in place
            keys.insert(key)
            self = .many(keys)
        }
    }

    /// Removes `key`; returns false when nothing is left (the caller then drops the value).
    mutating func remove(_ key: ObjectKey) -> Bool {
        switch self {
        case .one(let present):
            return present != key
        case .many(var keys):
            self = .one(key)  // as in `insert`: the set is uniquely held while it shrinks
            keys.remove(key)
            if keys.count == 1, let last = keys.first {
                self = .one(last)
            } else {
                self = .many(keys)
            }
            return !keys.isEmpty
        }
    }
}

extension ShardedDictionary where Value == IndexedKeys {
    /// Lists `key` under `value`.
    mutating func insert(_ key: ObjectKey, under value: Key) {
        Self.insert(key, into: &self[value])
    }

    /// Removes `key` from under `value`, and the entry once it lists nothing.
    mutating func remove(_ key: ObjectKey, under value: Key) {
        Self.remove(key, from: &self[value])
    }

    private static func insert(_ key: ObjectKey, into slot: inout IndexedKeys?) {
        if slot == nil {
            slot = .one(key)
        } else {
            slot!.insert(key)
        }
    }

    private static func remove(_ key: ObjectKey, from slot: inout IndexedKeys?) {
        if slot?.remove(key) == false { slot = nil }
    }
}
