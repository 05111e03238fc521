/// One cached object, on the heap: what a `Store`'s hash tables hold instead of the object itself.
///
/// Why: a `Dictionary` keeps its values inline in its buckets, and keeps between 25 % and 62 %
/// of its buckets empty (it doubles at a 75 % load). The Kubernetes models are wide structs —
/// every optional field takes its inline size even when nil (a `Pod` whose spec a transform
/// dropped is still hundreds of bytes) — so a table of 1,000 objects held ~2,000 object-sized
/// buckets, twice during a relist. Boxed, a bucket is one reference (8 bytes) and each object is
/// allocated once at its own size.
///
/// Contract: immutable (`value` is a `let`), so sharing a box between a store's tables, its
/// relist buffer and the readers it hands the value to is safe; an update replaces the box.
final class StoredObject<Object: Sendable>: Sendable {
    let value: Object

    init(_ value: Object) { self.value = value }
}
