import Testing
import KubeAPI
import TestSupport

@Suite("ShardedDictionary: a Dictionary that grows one shard at a time")
struct ShardedDictionaryTests {
    @Test("random inserts, updates, removals and in-place edits agree with Dictionary", arguments: [1, 2, 3] as [UInt64])
    func agreesWithDictionary(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        var model: [String: Int] = [:]
        var sharded = ShardedDictionary<String, Int>()
        for step in 0..<20_000 {
            let key = "ns/run-\(Int.random(in: 0..<3_000, using: &rng))"
            switch Int.random(in: 0..<5, using: &rng) {
            case 0, 1:
                model[key] = step
                sharded[key] = step
            case 2:
                #expect(sharded.removeValue(forKey: key) == model.removeValue(forKey: key))
            case 3:
                model[key, default: 0] += 1
                sharded[key, default: 0] += 1
            default:
                model[key] = nil
                sharded[key] = nil
            }
            #expect(sharded[key] == model[key])
        }
        #expect(sharded.count == model.count)
        #expect(sharded.isEmpty == model.isEmpty)
        #expect(Set(sharded.keys) == Set(model.keys))
        #expect(sharded.values.sorted() == model.values.sorted())
        var iterated: [String: Int] = [:]
        for (key, value) in sharded {
            #expect(iterated[key] == nil, "each entry is iterated once")
            iterated[key] = value
        }
        #expect(iterated == model)
    }

    @Test("growth to 100,000 entries: every entry kept, spread so that one growth rehashes only one shard's few")
    func growthIsSpread() {
        var table = ShardedDictionary<String, Int>()
        let total = 100_000
        for i in 0..<total { table["codex-system/run-\(i)"] = i }
        #expect(table.count == total)
        for i in stride(from: 0, to: total, by: 997) { #expect(table["codex-system/run-\(i)"] == i) }
        let sizes = table.shardSizes
        #expect(sizes.count == ShardedDictionary<String, Int>.shardCount)
        #expect(sizes.reduce(0, +) == total)
        // A growth rehashes the entries of the one shard that filled up: at most the largest shard,
        // ≈ 1/256 of the table (a plain Dictionary rehashes all 100,000 in one insert).
        let mean = total / sizes.count
        #expect(sizes.max()! <= 2 * mean, "largest shard \(sizes.max()!) against a mean of \(mean)")
    }

    @Test("empty: no shards until the first insert; removals and lookups on it are no-ops")
    func emptyAllocatesNothing() {
        var table = ShardedDictionary<String, Int>()
        #expect(table.shardSizes.isEmpty)
        #expect(table["a"] == nil)
        #expect(table.removeValue(forKey: "a") == nil)
        table["a"] = nil
        #expect(table.shardSizes.isEmpty)
        #expect(table.isEmpty && table.count == 0 && table.keys.isEmpty)
        table["a"] = 1
        #expect(table.shardSizes.count == ShardedDictionary<String, Int>.shardCount)
        table.removeAll()
        #expect(table.isEmpty && table.shardSizes.isEmpty)
    }

    @Test("value semantics: a copy is not changed by writes to the original")
    func valueSemantics() {
        var original: ShardedDictionary<String, [Int]> = ["a": [1], "b": [2]]
        let copy = original
        original["a", default: []].append(10)
        original["c"] = [3]
        original.removeValue(forKey: "b")
        #expect(copy["a"] == [1] && copy["b"] == [2] && copy["c"] == nil && copy.count == 2)
        #expect(original["a"] == [1, 10] && original["b"] == nil && original["c"] == [3])
        #expect(copy == ["a": [1], "b": [2]])
        #expect(copy != original)
    }
}
