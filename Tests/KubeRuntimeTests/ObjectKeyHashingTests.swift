import KubeAPI
import Testing
import TestSupport
@testable import KubeRuntime

/// `ObjectKey` hashes its namespace and name once (made or changed) and compares that first; it
/// must stay the value it was: equal exactly when namespace and name are equal (`String`'s `==`,
/// canonical equivalence included), equal keys hashing alike, a changed key hashing as a new one,
/// and the work queue and store treating keys as before.
@Suite struct ObjectKeyHashingTests {
    static let namespaces: [String?] = [nil, "", "ns", "ns1", "café", "cafe\u{301}", "a/b", "obj-1"]
    static let names = ["", "obj-1", "obj-2", "ns", "é", "e\u{301}", "Å", "A\u{30A}", "x/y", String(repeating: "long-name-", count: 8)]

    @Test func equalityAndHashFollowNamespaceAndName() {
        var all: [ObjectKey] = []
        for ns in Self.namespaces { for n in Self.names { all.append(ObjectKey(namespace: ns, name: n)) } }
        for a in all {
            for b in all {
                let same = a.namespace == b.namespace && a.name == b.name
                #expect((a == b) == same, "\(a) vs \(b)")
                if same { #expect(a.hashValue == b.hashValue, "\(a) vs \(b)") }
            }
        }
        // A set holds one entry per distinct (namespace, name).
        #expect(Set(all).count == Set(all.map { [$0.namespace ?? "\u{1}nil", $0.name] }).count)
    }

    @Test func aChangedKeyHashesAsTheKeyItBecame() {
        var k = ObjectKey(namespace: "ns", name: "a")
        let set: Set = [ObjectKey(namespace: "ns", name: "b"), ObjectKey(namespace: nil, name: "b")]
        #expect(!set.contains(k))
        k.name = "b"
        #expect(set.contains(k) && k == ObjectKey(namespace: "ns", name: "b") && k.hashValue == ObjectKey(namespace: "ns", name: "b").hashValue)
        k.namespace = nil
        #expect(set.contains(k) && k == ObjectKey(namespace: nil, name: "b"))
        k.namespace = "other"
        #expect(!set.contains(k))
    }

    /// Random keys through the work queue: it hands out each distinct key once, in first-add order,
    /// however the equal keys were spelled (a canonically equivalent name dedupes like before).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theWorkQueueDedupesEqualKeys(seed: UInt64) async {
        var rng = SplitMix(seed: seed)
        let q = WorkQueue(name: "t", clock: ManualClock())
        var expected: [ObjectKey] = []
        for _ in 0..<400 {
            let ns = Self.namespaces[Int(rng.next() % UInt64(Self.namespaces.count))]
            let name = Self.names[Int(rng.next() % UInt64(Self.names.count))]
            let k = ObjectKey(namespace: ns, name: name)
            if !expected.contains(where: { $0.namespace == ns && $0.name == name }) { expected.append(k) }
            q.add(k)
        }
        #expect(q.depth == expected.count)
        for e in expected {
            let got = await q.next()
            #expect(got.map { $0.namespace == e.namespace && $0.name == e.name } == true, "\(String(describing: got)) vs \(e)")
        }
        #expect(q.depth == 0)
    }

    /// The sizes the docs state (ObjectKey's memory note, `IndexedKeys`): two `String`s and the
    /// cached hash (32 bytes without it); an index value's single key inline is the key and the
    /// case's tag, padded to 48 (40 without the hash).
    @Test func aKeyIsFortyBytes() {
        #expect(MemoryLayout<ObjectKey>.size == 40 && MemoryLayout<ObjectKey>.stride == 40)
        #expect(MemoryLayout<IndexedKeys>.size == 41 && MemoryLayout<IndexedKeys>.stride == 48)
    }

    @Test func theStoreFindsObjectsByEquivalentKeys() {
        let store = Store<Widget>()
        store.apply(.initStarted)
        store.apply(.initDone)
        store.apply(.apply(Widget("caf\u{E9}", namespace: "ns")))
        #expect(store.get(ObjectKey(namespace: "ns", name: "cafe\u{301}"))?.metadata.name == "caf\u{E9}")
        #expect(store.get(ObjectKey(namespace: nil, name: "caf\u{E9}")) == nil)
        #expect(store.keys == [ObjectKey(namespace: "ns", name: "cafe\u{301}")])
    }
}
