import KubeAPI

/// A function every object passes through before it enters a `Store` (controller-runtime's
/// `cache.Options.DefaultTransform`, client-go's `SetTransform`): it keeps only what the
/// controller reads, so a cache of thousands of objects does not hold their specs, long status
/// strings or annotations.
///
/// Contract:
/// - It is applied to every object a `Store` receives — the pages of a (re)list, every added or
///   modified object and the last state of a deleted one — so readers of the store and the
///   controller's mappings only ever see transformed objects.
/// - It must keep what the store itself needs: `metadata.name` and `metadata.namespace` (the key),
///   the labels the store indexes and `metadata.ownerReferences` (the owner index).
/// - It must be pure and cheap: it runs under no lock, once per object per event.
/// - A transformed object must never be written back to the API server (an update built from it
///   would drop what the transform removed): cache only kinds the controller reads, or write
///   such kinds with patches of the fields it sets.
public struct CacheTransform<Object: KubeResource>: Sendable {
    public let apply: @Sendable (Object) -> Object
    /// True for `identity` (the store then skips the call and the copy of each page).
    let isIdentity: Bool
    /// How the store holds a transformed object (`CachedObject.whole` unless `storing(_:)` says).
    let box: @Sendable (Object) -> CachedObject<Object>

    public init(_ apply: @escaping @Sendable (Object) -> Object) {
        self.apply = apply
        self.isIdentity = false
        self.box = CachedObject.whole
    }

    private init(identity: Void) {
        self.apply = { $0 }
        self.isIdentity = true
        self.box = CachedObject.whole
    }

    private init(_ base: CacheTransform, box: @escaping @Sendable (Object) -> CachedObject<Object>) {
        self.apply = base.apply
        self.isIdentity = base.isIdentity
        self.box = box
    }

    /// This transform, with the store holding each transformed object in `box(object)` — a
    /// `CachedObject` subclass that keeps only the fields the transform leaves (see `CachedObject`).
    /// `box` must be lossless: `box(o).value == o` for every transformed `o`.
    public func storing(_ box: @escaping @Sendable (Object) -> CachedObject<Object>) -> CacheTransform {
        CacheTransform(self, box: box)
    }

    /// Keeps every field (the default).
    public static var identity: CacheTransform { CacheTransform(identity: ()) }

    /// Keeps the metadata fields controllers match and order objects by — name, namespace, uid,
    /// resourceVersion, generation, creationTimestamp, deletionTimestamp, labels, ownerReferences —
    /// and drops the rest (annotations, finalizers, generateName, deletionGracePeriodSeconds),
    /// then applies `rest` to the object with that metadata.
    public static func slimMetadata(then rest: @escaping @Sendable (Object) -> Object = { $0 }) -> CacheTransform {
        CacheTransform { object in
            var slim = object
            slim.metadata = CacheTransforms.essentialMetadata(of: object.metadata)
            return rest(slim)
        }
    }
}

/// Building blocks of cache transforms.
public enum CacheTransforms {
    /// The metadata fields `CacheTransform.slimMetadata` keeps.
    public static func essentialMetadata(of meta: ObjectMeta) -> ObjectMeta {
        var slim = ObjectMeta(name: meta.name, namespace: meta.namespace, labels: meta.labels,
                              ownerReferences: meta.ownerReferences)
        slim.uid = meta.uid
        slim.resourceVersion = meta.resourceVersion
        slim.generation = meta.generation
        slim.creationTimestamp = meta.creationTimestamp
        slim.deletionTimestamp = meta.deletionTimestamp
        return slim
    }
}
