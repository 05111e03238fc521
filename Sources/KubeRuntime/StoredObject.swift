/// How a `Store` holds one cached object: on the heap, one reference per bucket of its tables.
///
/// Why: a `Dictionary` keeps its values inline in its buckets, and keeps between 25 % and 62 %
/// of its buckets empty (it doubles at a 75 % load). The Kubernetes models are wide structs —
/// every optional field takes its inline size even when nil (a `Pod` whose spec a transform
/// dropped is still hundreds of bytes) — so a table of 1,000 objects held ~2,000 object-sized
/// buckets, twice during a relist. Boxed, a bucket is one reference (8 bytes) and each object is
/// allocated once.
///
/// The default box (`whole`) holds the object as it is. A cache whose transform always empties
/// some wide fields can hold its objects in a subclass that stores only the rest and rebuilds the
/// object in `value` (`CacheTransform.storing(_:)`): a `Job` without its spec is still 720 bytes
/// inline, its metadata and status 250.
///
/// Contract: immutable, so sharing a box between a store's tables, its relist buffer and the
/// readers it hands the value to is safe (an update replaces the box); `value` equals the object
/// the box was made from.
open class CachedObject<Object: Sendable>: @unchecked Sendable {
    public init() {}

    /// The object; equal to the one the box was made from.
    open var value: Object { fatalError("CachedObject.value must be overridden") }

    /// The box that holds `object` as it is.
    public static func whole(_ object: Object) -> CachedObject<Object> { StoredObject(object) }
}

/// The default box: the whole object.
final class StoredObject<Object: Sendable>: CachedObject<Object>, @unchecked Sendable {
    let object: Object

    init(_ object: Object) {
        self.object = object
        super.init()
    }

    override var value: Object { object }
}
