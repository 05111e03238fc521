import KubeAPI
import KubeClient
import Testing
@testable import KubeRuntime

/// What a `Store` does to keep 1,000s of cached objects small (docs/performance.md, "Operator"):
/// one shared copy of each label and annotation key, objects boxed in its tables.
@Suite struct StoreMemoryTests {
    static let longKey = "app.kubernetes.io/managed-by"
    static let annotationKey = "codex-k8s.dev/lease-expires-at"

    /// A widget decoded from its own JSON text, as a watch or list delivers it: its strings are
    /// allocations of their own, shared with nothing.
    func decoded(_ name: String, labels: [String: String], annotations: [String: String]) throws -> Widget {
        func object(_ map: [String: String]) -> String {
            "{" + map.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        }
        let text = """
        {"metadata": {"name": "\(name)", "namespace": "ns", "labels": \(object(labels)), "annotations": \(object(annotations))},
         "size": 0}
        """
        return try JSONBytesDecoder().decode(Widget.self, from: Array(text.utf8))
    }

    /// Where a string's UTF-8 bytes live (nil for a string stored inline or not contiguous).
    func storage(_ s: String) -> UnsafeRawPointer? {
        var copy = s
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    func key(_ map: [String: String]?, _ key: String) -> String? { map?.keys.first { $0 == key } }

    @Test func objectsDecodedApartShareTheirLongLabelAndAnnotationKeysOnceStored() throws {
        let a = try decoded("a", labels: [Self.longKey: "codex-k8s", "tier": "x"], annotations: [Self.annotationKey: "t1"])
        let b = try decoded("b", labels: [Self.longKey: "codex-k8s", "tier": "y"], annotations: [Self.annotationKey: "t2"])
        #expect(storage(key(a.metadata.labels, Self.longKey)!) != storage(key(b.metadata.labels, Self.longKey)!),
                "decoded apart, the keys are two allocations")

        let store = Store<Widget>(indexedLabels: ["tier"])
        store.apply(.initStarted)
        store.apply(.initPage([a]))
        store.apply(.initDone)
        store.apply(.apply(b))
        let sa = try #require(store.get(ObjectKey(namespace: "ns", name: "a")))
        let sb = try #require(store.get(ObjectKey(namespace: "ns", name: "b")))
        #expect(sa == a && sb == b, "interning changes no value")
        let la = try #require(key(sa.metadata.labels, Self.longKey)), lb = try #require(key(sb.metadata.labels, Self.longKey))
        #expect(storage(la) != nil && storage(la) == storage(lb), "a relisted and a watched object share the label key")
        let aa = try #require(key(sa.metadata.annotations, Self.annotationKey))
        let ab = try #require(key(sb.metadata.annotations, Self.annotationKey))
        #expect(storage(aa) == storage(ab), "and the annotation key")
        #expect(store.objects(withLabel: "tier", value: "y").map(\.metadata.name) == ["b"], "indexes still work")
    }

    @Test func aTransformedStoreInternsTheKeysTheTransformKeeps() throws {
        let store = Store<Widget>(transform: .slimMetadata())
        store.apply(.apply(try decoded("a", labels: [Self.longKey: "v"], annotations: [Self.annotationKey: "t"])))
        store.apply(.apply(try decoded("b", labels: [Self.longKey: "v"], annotations: [Self.annotationKey: "t"])))
        let sa = try #require(store.get(ObjectKey(namespace: "ns", name: "a")))
        let sb = try #require(store.get(ObjectKey(namespace: "ns", name: "b")))
        #expect(sa.metadata.annotations == nil, "the transform ran first")
        #expect(storage(key(sa.metadata.labels, Self.longKey)!) == storage(key(sb.metadata.labels, Self.longKey)!))
    }

    @Test func theTableIsBounded() {
        // Keys past the capacity are not added; the objects keep their own copies and their values.
        let before = MetadataKeyInterner.count
        let meta = ObjectMeta(name: "n", labels: ["bounded.test/key-\(before)-0123456789": "v"])
        let interned = MetadataKeyInterner.intern(meta)
        #expect(interned == meta)
        #expect(MetadataKeyInterner.count <= MetadataKeyInterner.capacity)
    }
}
