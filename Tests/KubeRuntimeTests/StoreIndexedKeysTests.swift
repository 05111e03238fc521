import KubeAPI
import Testing
import TestSupport
@testable import KubeRuntime

/// The store's indexes keep one key inline and a set from the second on (`IndexedKeys`): through
/// random applies, deletes and relists, every index — by label, by owner, by key function — lists
/// exactly the cached objects it should, as a model built from the objects says.
@Suite(.timeLimit(.minutes(1))) struct StoreIndexedKeysTests {
    static func widget(_ rng: inout SplitMix) -> Widget {
        let n = Int(rng.next() % 40)
        let group = "g\(rng.next() % 6)"
        let owner = rng.next() % 3 == 0 ? nil
            : OwnerReference(apiVersion: "v1", kind: "Thing", name: "t", uid: "uid-\(rng.next() % 5)")
        return Widget("w\(n)", size: Int(rng.next() % 4), labels: rng.next() % 4 == 0 ? nil : ["group": group], owner: owner)
    }

    /// What each index must list, from the objects themselves.
    static func expect(_ store: Store<Widget>, _ model: [ObjectKey: Widget]) {
        let objects = Array(model.values)
        func names(_ ws: [Widget]) -> [String] { ws.map { $0.metadata.name ?? "" }.sorted() }
        for g in 0..<6 {
            let value = "g\(g)"
            #expect(names(store.objects(withLabel: "group", value: value))
                == names(objects.filter { $0.metadata.labels?["group"] == value }))
        }
        for u in 0..<5 {
            let uid = "uid-\(u)"
            #expect(names(store.objects(ownedBy: uid))
                == names(objects.filter { $0.metadata.ownerReferences?.first?.uid == uid }))
        }
        var counts: [String: Int] = [:]
        for o in objects { counts["\(o.size)", default: 0] += 1 }
        #expect(store.counts(inIndex: "size") == counts, "no emptied value is left behind")
        for size in 0..<4 {
            #expect(Set(store.keys(inIndex: "size", value: "\(size)"))
                == Set(objects.filter { $0.size == size }.compactMap(\.objectKey)))
        }
    }

    @Test func indexesAgreeWithTheObjectsThroughRandomChanges() {
        var rng = SplitMix(seed: 0x1DE4)
        let store = Store<Widget>(indexedLabels: ["group"])
        store.addIndex("size") { ["\($0.size)"] }
        var model: [ObjectKey: Widget] = [:]
        store.apply(.initStarted)
        store.apply(.initDone)
        for step in 0..<3000 {
            let w = Self.widget(&rng)
            let key = w.objectKey!
            switch rng.next() % 10 {
            case 0..<6:
                store.apply(.apply(w))
                model[key] = w
            case 6..<9:
                store.apply(.delete(model[key] ?? w))
                model[key] = nil
            default:
                // A relist of a random subset, swapped in at initDone.
                let kept = model.filter { _ in rng.next() % 2 == 0 }
                store.apply(.initStarted)
                store.apply(.initPage(Array(kept.values)))
                store.apply(.initDone)
                model = kept
            }
            if step % 100 == 0 { Self.expect(store, model) }
        }
        Self.expect(store, model)
    }

    @Test func oneKeyInlineASetFromTheSecond() {
        let a = ObjectKey(namespace: "ns", name: "a"), b = ObjectKey(namespace: "ns", name: "b")
        var index = ShardedDictionary<String, IndexedKeys>()
        index.insert(a, under: "v")
        index.insert(a, under: "v")
        #expect(index["v"] == .one(a), "a present key is not added twice")
        index.insert(b, under: "v")
        #expect(index["v"] == .many([a, b]))
        index.remove(a, under: "v")
        #expect(index["v"] == .one(b), "back to inline with one key left")
        index.remove(a, under: "v")
        #expect(index["v"] == .one(b), "removing an absent key changes nothing")
        index.remove(b, under: "v")
        #expect(index["v"] == nil && index.isEmpty, "an emptied value is dropped")
        index.remove(b, under: "w")
        #expect(index.isEmpty)
    }
}
