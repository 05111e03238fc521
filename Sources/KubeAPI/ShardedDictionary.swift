/// A hash map that grows in small steps: the entries are spread by key hash over `shardCount`
/// independent `Dictionary`s (shards), so when it grows only the one shard that filled up is
/// rehashed — about `count / shardCount` entries — never every entry at once.
///
/// Why: a Swift `Dictionary` doubles and rehashes all of its entries in the insert that crosses
/// 0.75 × capacity. For the big tables of a cache or a store (tens of thousands of objects) that
/// one insert took 20–50 ms of CPU (hashing every key again, page-faulting the new table), under
/// the lock every reader waits on — the ~100 ms latency stall of the webhook benchmark at
/// 49,152 stored AgentRuns. Sharded, the same growth is 256 steps of ≈ 0.1 ms each.
///
/// Contract:
/// - Behaves like `Dictionary` for lookup, insert, update, removal, `count`, `isEmpty`, `keys`,
///   `values` and iteration (each entry once, in no particular order).
/// - Growing moves at most the entries of one shard (`shardSizes` shows how they are spread).
/// - Costs one extra hash of the key per operation (choosing the shard). An empty instance
///   allocates nothing; the shard array is allocated by the first insert.
/// - Value semantics (copy on write per shard array and per shard).
/// - Everything is `@inlinable`, so callers in other modules get code specialized for their key
///   and value types (unspecialized generic calls cost ~2 % of kube-test-server's CPU).
public struct ShardedDictionary<Key: Hashable, Value> {
    /// How many shards a non-empty instance has.
    @inlinable public static var shardCount: Int { 256 }

    @usableFromInline var shards: [[Key: Value]] = []

    @inlinable public init() {}

    @inlinable static func shard(of key: Key) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }

    @inlinable mutating func allocateShards() {
        if shards.isEmpty { shards = Array(repeating: [:], count: Self.shardCount) }
    }

    @inlinable public subscript(key: Key) -> Value? {
        get {
            shards.isEmpty ? nil : shards[Self.shard(of: key)][key]
        }
        set {
            if newValue == nil && shards.isEmpty { return }
            allocateShards()
            shards[Self.shard(of: key)][key] = newValue
        }
        _modify {
            allocateShards()
            yield &shards[Self.shard(of: key)][key]
        }
    }

    @inlinable public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get {
            self[key] ?? defaultValue()
        }
        _modify {
            allocateShards()
            yield &shards[Self.shard(of: key)][key, default: defaultValue()]
        }
    }

    /// Removes the entry of `key`; returns its value, or nil when there was none.
    @inlinable @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        guard !shards.isEmpty else { return nil }
        return shards[Self.shard(of: key)].removeValue(forKey: key)
    }

    /// Removes every entry (and releases the shards).
    @inlinable public mutating func removeAll() { shards = [] }

    /// The number of entries (a sum over the shards).
    @inlinable public var count: Int { shards.reduce(0) { $0 + $1.count } }

    @inlinable public var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

    /// Every key, in no particular order.
    @inlinable public var keys: [Key] {
        var all: [Key] = []
        all.reserveCapacity(count)
        for shard in shards { all.append(contentsOf: shard.keys) }
        return all
    }

    /// Every value, in no particular order.
    @inlinable public var values: [Value] {
        var all: [Value] = []
        all.reserveCapacity(count)
        for shard in shards { all.append(contentsOf: shard.values) }
        return all
    }

    /// How many entries each shard holds (empty when nothing was ever inserted): the most entries
    /// one growth can rehash is about the largest of these.
    @inlinable public var shardSizes: [Int] { shards.map(\.count) }
}

extension ShardedDictionary: Sequence {
    public typealias Element = (key: Key, value: Value)

    public struct Iterator: IteratorProtocol {
        @usableFromInline let shards: [[Key: Value]]
        @usableFromInline var shardIndex = 0
        @usableFromInline var inner: Dictionary<Key, Value>.Iterator?

        @inlinable init(_ shards: [[Key: Value]]) { self.shards = shards }

        @inlinable public mutating func next() -> (key: Key, value: Value)? {
            while true {
                if let element = inner?.next() { return element }
                guard shardIndex < shards.count else { return nil }
                inner = shards[shardIndex].makeIterator()
                shardIndex += 1
            }
        }
    }

    @inlinable public func makeIterator() -> Iterator { Iterator(shards) }

    @inlinable public var underestimatedCount: Int { count }
}

extension ShardedDictionary: ExpressibleByDictionaryLiteral {
    /// Like `Dictionary`'s, a literal that names a key twice is a programming error (it traps).
    @inlinable public init(dictionaryLiteral elements: (Key, Value)...) {
        for (key, value) in elements {
            precondition(self[key] == nil, "ShardedDictionary literal contains duplicate key \(key)")
            self[key] = value
        }
    }
}

extension ShardedDictionary: Sendable where Key: Sendable, Value: Sendable {}

extension ShardedDictionary: Equatable where Value: Equatable {
    @inlinable public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.allSatisfy { rhs[$0.key] == $0.value }
    }
}
