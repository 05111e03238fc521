import KubeAPI
import Synchronization
import Testing
import TestSupport
@testable import KubeRuntime

/// `Store` against a plain-dictionary model over random event sequences — adds, updates, deletes
/// (present and absent), relists in pages with objects vanishing while unwatched, an index added
/// midway — with objects held whole and in a `CachedObject` subclass. Checks what `apply` returns
/// (objects and keys), what observers see, and every reader, after every event.
@Suite(.timeLimit(.minutes(1))) struct StoreModelTests {
    /// Keeps the metadata, drops `size` (so `value` rebuilds the object).
    final class Sizeless: CachedObject<Widget>, @unchecked Sendable {
        let metadata: ObjectMeta
        init(_ w: Widget) { metadata = w.metadata; super.init() }
        override var value: Widget { var w = Widget("", size: 0); w.metadata = metadata; return w }
    }

    static let transforms: [(String, CacheTransform<Widget>)] = [
        ("identity", .identity),
        ("sizeless, boxed", CacheTransform<Widget> { var w = $0; w.size = 0; return w }.storing(Sizeless.init)),
    ]

    /// The model: the objects by key, and the same transform.
    struct Model {
        var objects: [ObjectKey: Widget] = [:]
        var buffer: [ObjectKey: Widget]?
        let transform: (Widget) -> Widget
    }

    @Test(arguments: 0..<2, [UInt64(1), 2, 3, 4])
    func storeAgreesWithAModel(transformIndex: Int, seed: UInt64) {
        let transform = Self.transforms[transformIndex].1
        let store = Store<Widget>(indexedLabels: ["tier"], transform: transform)
        let observed = Mutex<[[ObjectKey]]>([])
        store.observe { keys in observed.withLock { $0.append(keys) } }
        var model = Model(transform: { transform.apply($0) })
        var rng = SplitMix(seed: seed)
        let owners = ["u1", "u2"].map { OwnerReference(apiVersion: "v1", kind: "Thing", name: $0, uid: $0, controller: true) }
        func widget() -> Widget {
            Widget("w\(rng.next() % 12)", namespace: rng.next() % 4 == 0 ? "other" : "ns", size: Int(rng.next() % 5) + 1,
                   labels: rng.next() % 3 == 0 ? nil : ["tier": ["x", "y", "z"][Int(rng.next() % 3)]],
                   owner: rng.next() % 2 == 0 ? nil : owners[Int(rng.next() % 2)])
        }
        store.apply(.initStarted); store.apply(.initDone)
        var indexed = false
        for step in 0..<400 {
            if step == 150 {
                store.addIndex("size-parity") { [$0.metadata.name!.count % 2 == 0 ? "even" : "odd", "all"] }
                // Values that change with updates: a tier's label, twice, or none.
                store.addIndex("tier-twice") { w in w.metadata.labels?["tier"].map { [$0, $0] } ?? [] }
                indexed = true
            }
            let event: WatcherEvent<Widget>
            switch rng.next() % 10 {
            case 0 where model.buffer == nil: event = .initStarted
            case 1 where model.buffer != nil, 2 where model.buffer != nil: event = .initPage((0..<Int(rng.next() % 4)).map { _ in widget() })
            case 3 where model.buffer != nil: event = .initDone
            case 0...5: event = .apply(widget())
            default:
                let present = model.objects.values.sorted { $0.objectKey! < $1.objectKey! }
                event = .delete(present.isEmpty || rng.next() % 4 == 0 ? widget() : present[Int(rng.next() % UInt64(present.count))])
            }
            observed.withLock { $0 = [] }
            let expected = model.apply(event)
            let (objects, keys) = store.applyReturningKeys(event)
            #expect(keys == objects.map { $0.objectKey! }, "keys[i] is objects[i]'s key (\(event))")
            if case .initDone = event {
                #expect(Set(objects) == Set(expected) && objects.count == expected.count, "relist: \(objects) vs \(expected)")
            } else {
                #expect(objects == expected, "\(event)")
            }
            let notified = observed.withLock { $0 }
            #expect(notified == (keys.isEmpty ? [] : [Array(uniqueInOrder(keys))]), "observers get each affected key once")
            // Every reader agrees with the model.
            #expect(store.count == model.objects.count)
            #expect(Set(store.keys) == Set(model.objects.keys))
            #expect(Set(store.list()) == Set(model.objects.values))
            for (k, o) in model.objects { #expect(store.get(k) == o) }
            for tier in ["x", "y", "z"] {
                #expect(Set(store.objects(withLabel: "tier", value: tier)) == Set(model.objects.values.filter { $0.metadata.labels?["tier"] == tier }))
            }
            for owner in owners {
                #expect(Set(store.objects(ownedBy: owner.uid)) == Set(model.objects.values.filter { $0.metadata.ownerReferences?.first?.uid == owner.uid }))
            }
            if indexed {
                let even = model.objects.values.filter { $0.metadata.name!.count % 2 == 0 }
                #expect(Set(store.objects(inIndex: "size-parity", value: "even")) == Set(even))
                #expect(Set(store.keys(inIndex: "size-parity", value: "all")) == Set(model.objects.keys))
                for tier in ["x", "y", "z"] {
                    let listed = model.objects.values.filter { $0.metadata.labels?["tier"] == tier }
                    #expect(Set(store.objects(inIndex: "tier-twice", value: tier)) == Set(listed))
                    #expect(store.counts(inIndex: "tier-twice", values: [tier]) == [tier: listed.count])
                }
                var counts = ["even": even.count, "odd": model.objects.count - even.count, "all": model.objects.count]
                counts = counts.filter { $0.value > 0 }
                #expect(store.counts(inIndex: "size-parity") == counts)
            }
        }
    }
}

/// `keys` without repeats, first occurrence first.
private func uniqueInOrder(_ keys: [ObjectKey]) -> [ObjectKey] {
    var seen = Set<ObjectKey>()
    return keys.filter { seen.insert($0).inserted }
}

extension StoreModelTests.Model {
    /// What `Store.apply` returns for `event`, and the model updated by it.
    mutating func apply(_ event: WatcherEvent<Widget>) -> [Widget] {
        switch event {
        case .initStarted:
            buffer = [:]
            return []
        case .initPage(let objects):
            if buffer == nil { buffer = [:] }
            for o in objects { buffer![o.objectKey!] = transform(o) }
            return []
        case .initDone:
            let fresh = buffer ?? [:]
            buffer = nil
            let affected = Array(fresh.values) + objects.filter { fresh[$0.key] == nil }.map(\.value)
            objects = fresh
            return affected
        case .apply(let raw):
            let o = transform(raw)
            let old = objects[o.objectKey!]
            objects[o.objectKey!] = o
            return old.map { [$0, o] } ?? [o]
        case .delete(let raw):
            objects[raw.objectKey!] = nil
            return [transform(raw)]
        case .error:
            return []
        }
    }
}
