import KubeAPI
import Synchronization
import Testing
@testable import KubeRuntime

/// `CacheTransform.storing(_:)`: a store holds its objects in the transform's own `CachedObject`
/// boxes, and every read — get, list, label and owner lookups, key-function indexes, the objects
/// an apply returns — gives exactly the transformed objects, as with the whole-object box.
@Suite struct CacheStoredFormTests {
    /// Keeps a widget's metadata only; rebuilds `size` as 0 (what the transform below leaves).
    final class MetadataOnly: CachedObject<Widget>, @unchecked Sendable {
        static let made = Mutex(0)
        let metadata: ObjectMeta

        init(_ w: Widget) {
            metadata = w.metadata
            MetadataOnly.made.withLock { $0 += 1 }
            super.init()
        }

        override var value: Widget {
            var w = Widget("")
            w.metadata = metadata
            return w
        }
    }

    static let sizeless = CacheTransform<Widget>.slimMetadata { w in
        var slim = w
        slim.size = 0
        return slim
    }

    static func widget(_ name: String, size: Int, tier: String) -> Widget {
        var w = Widget(name, size: size, labels: ["tier": tier],
                       owner: OwnerReference(apiVersion: "v1", kind: "Thing", name: "o", uid: "uid-\(tier)"))
        w.metadata.annotations = ["a": "b"]
        w.metadata.uid = "u-\(name)"
        return w
    }

    @Test func everyReadGivesTheTransformedObjects() {
        let boxed = Store<Widget>(indexedLabels: ["tier"], transform: Self.sizeless.storing(MetadataOnly.init))
        let plain = Store<Widget>(indexedLabels: ["tier"], transform: Self.sizeless)
        let before = MetadataOnly.made.withLock { $0 }
        var returned: [[Widget]] = [[], []]
        for (i, store) in [boxed, plain].enumerated() {
            store.addIndex("name") { [$0.metadata.name ?? ""] }
            store.apply(.initStarted)
            store.apply(.initPage([Self.widget("a", size: 1, tier: "x"), Self.widget("b", size: 2, tier: "y")]))
            returned[i] += store.apply(.initDone)
            returned[i] += store.apply(.apply(Self.widget("c", size: 3, tier: "x")))
            returned[i] += store.apply(.apply(Self.widget("a", size: 4, tier: "y")))
            returned[i] += store.apply(.delete(Self.widget("b", size: 2, tier: "y")))
        }
        #expect(MetadataOnly.made.withLock { $0 } - before == 4, "the boxed store made one box per stored object")
        func sorted(_ ws: [Widget]) -> [Widget] { ws.sorted { ($0.metadata.name ?? "", $0.metadata.labels?["tier"] ?? "") < ($1.metadata.name ?? "", $1.metadata.labels?["tier"] ?? "") } }
        #expect(sorted(returned[0]) == sorted(returned[1]))
        #expect(sorted(boxed.list()) == sorted(plain.list()))
        #expect(boxed.list().allSatisfy { $0.size == 0 && $0.metadata.annotations == nil })
        for key in ["a", "b", "c"].map({ ObjectKey(namespace: "ns", name: $0) }) { #expect(boxed.get(key) == plain.get(key)) }
        for tier in ["x", "y"] {
            #expect(sorted(boxed.objects(withLabel: "tier", value: tier)) == sorted(plain.objects(withLabel: "tier", value: tier)))
            #expect(sorted(boxed.objects(ownedBy: "uid-\(tier)")) == sorted(plain.objects(ownedBy: "uid-\(tier)")))
        }
        #expect(boxed.objects(inIndex: "name", value: "a") == plain.objects(inIndex: "name", value: "a"))
        #expect(boxed.objects(inIndex: "name", value: "a").first?.metadata.labels == ["tier": "y"])
    }

    @Test func theDefaultBoxHoldsTheWholeObject() {
        let w = Self.widget("a", size: 7, tier: "x")
        #expect(CachedObject.whole(w).value == w)
        let store = Store<Widget>()
        store.apply(.initStarted)
        store.apply(.initPage([w]))
        store.apply(.initDone)
        #expect(store.get(ObjectKey(namespace: "ns", name: "a"))?.size == 7)
    }
}
