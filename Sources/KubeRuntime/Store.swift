import KubeAPI
import Synchronization

/// A read cache of one resource keyed by namespace/name, fed by a `Watcher` (`apply(_:)`).
///
/// Guarantees:
/// - A relist (`initStarted` … `initDone`) is buffered aside and swapped in atomically at
///   `initDone`: readers see either the old or the new full state, never a partial one, and an
///   object deleted while the watch was down does not survive the swap.
/// - Secondary indexes (by the values of chosen label keys, by owner UID) always agree with the
///   objects: they are updated under the same lock.
/// - `isReady` becomes true at the first `initDone` and stays true; `waitUntilReady()` waits for it.
/// - Every object passes through `transform` before it is stored or returned as affected.
/// - Stored objects share one copy of each label and annotation key (`MetadataKeyInterner`).
public final class Store<Object: KubeResource>: Sendable {
    /// The tables that grow with the number of cached objects are `ShardedDictionary`s: growing
    /// one rehashes a 256th of it, not every entry at once under the store's lock (a plain
    /// `Dictionary` of ~50,000 objects held the lock for ~50 ms in the insert that grew it, and
    /// every reader of the cache waited). They do not depend on `Object` (`StoreState`).
    /// The label keys whose values are indexed (`objects(withLabel:value:)`).
    public let indexedLabels: Set<String>
    /// Applied to every object before it is stored (`CacheTransform`).
    public let transform: CacheTransform<Object>
    let state = Mutex(StoreState())
    let observers = StoreObservers()

    public init(indexedLabels: Set<String> = [], transform: CacheTransform<Object> = .identity) {
        self.indexedLabels = indexedLabels
        self.transform = transform
    }

    /// Applies one watcher event and returns the objects it may have affected, for mapping to
    /// work-queue keys: for `initDone`, every object of the new list plus the last state of every
    /// object that vanished; for `apply`, the previous state (if any) and the new one; for
    /// `delete`, the deleted object.
    @discardableResult
    public func apply(_ event: WatcherEvent<Object>) -> [Object] { applyReturningKeys(event).objects }

    /// `apply(_:)`, also returning the affected objects' keys: `keys[i]` is
    /// `objects[i].objectKey` (every affected object has one), found without reading them again.
    /// One switch over the event (a generic enum: each switch looks its metadata up), each case
    /// with its own critical section.
    func applyReturningKeys(_ event: WatcherEvent<Object>) -> (objects: [Object], keys: [ObjectKey]) {
        let affected: (objects: [Object], keys: [ObjectKey])
        switch event {
        case .initStarted:
            state.withLock { $0.buffer = [:] }
            return ([], [])
        case .initPage(let page):
            var boxes: [(ObjectKey, StoredBox)] = []
            boxes.reserveCapacity(page.count)
            for i in 0..<page.count {
                let o = prepared(page[i])
                if let k = o.objectKey { boxes.append((k, StoredBox(object: transform.box(o)))) }
            }
            state.withLock { s in
                if s.buffer == nil { s.buffer = [:] }
                for (k, box) in boxes { s.buffer![k] = box }
            }
            return ([], [])
        case .initDone:
            var becameReady: [UInt64: CheckedContinuation<Void, Never>] = [:]
            let (boxes, keys) = state.withLock { s -> ([StoredBox], [ObjectKey]) in
                let fresh = s.buffer ?? [:]
                s.buffer = nil
                var boxes: [StoredBox] = []
                var keys: [ObjectKey] = []
                boxes.reserveCapacity(fresh.count)
                keys.reserveCapacity(fresh.count)
                for (k, b) in fresh { boxes.append(b); keys.append(k) }
                for (k, b) in s.objects where fresh[k] == nil { boxes.append(b); keys.append(k) }
                s.objects = fresh
                rebuildIndexes(&s)
                if !s.ready {
                    s.ready = true
                    swap(&becameReady, &s.readyWaiters)
                }
                return (boxes, keys)
            }
            becameReady.values.forEach { $0.resume() }
            affected = (Self.objects(in: boxes), keys)
        case .apply(let raw):
            let o = prepared(raw)
            guard let k = o.objectKey else { return ([], []) }
            let box = StoredBox(object: transform.box(o))
            let old = state.withLock { s -> StoredBox? in
                let old = s.objects[k]
                s.objects[k] = box
                if let old { reindex(k, from: Self.object(in: old), to: o, &s) } else { index(k, o, &s) }
                return old
            }
            if let old { affected = ([Self.object(in: old), o], [k, k]) } else { affected = ([o], [k]) }
        case .delete(let raw):
            // A deleted object is not stored: only the transform applies, no interning.
            let o = transform.isIdentity ? raw : transform.apply(raw)
            guard let k = o.objectKey else { return ([], []) }
            state.withLock { s in
                if let old = s.objects.removeValue(forKey: k) { unindex(k, Self.object(in: old), &s) }
            }
            affected = ([o], [k])
        case .error:
            return ([], [])
        }
        observers.notify(affected.keys)
        return affected
    }

    /// The object a box of this store holds (see `StoreState`'s contract).
    @inline(__always)
    static func object(in box: StoredBox) -> Object {
        unsafeDowncast(box.object, to: CachedObject<Object>.self).value
    }

    /// The objects `boxes` hold, in their order.
    static func objects(in boxes: [StoredBox]) -> [Object] {
        var objects: [Object] = []
        objects.reserveCapacity(boxes.count)
        for i in 0..<boxes.count { objects.append(object(in: boxes[i])) }
        return objects
    }

    /// `o` as the store holds it: `transform` applied, then its label and annotation keys interned
    /// (`MetadataKeyInterner`; outside the store's lock).
    private func prepared(_ o: Object) -> Object {
        Self.interned(transform.isIdentity ? o : transform.apply(o))
    }

    /// `object` with the shared copies of its metadata keys.
    private static func interned(_ object: Object) -> Object {
        var o = object
        o.metadata = MetadataKeyInterner.intern(object.metadata)
        return o
    }

    public func get(_ key: ObjectKey) -> Object? {
        guard let box = state.withLock({ $0.objects[key] }) else { return nil }
        return Self.object(in: box)
    }

    public func list() -> [Object] { Self.objects(in: state.withLock { $0.objects.values }) }

    public var count: Int { state.withLock { $0.objects.count } }

    public var keys: [ObjectKey] { state.withLock { Array($0.objects.keys) } }

    /// Objects whose label `key` (one of `indexedLabels`) has `value`.
    public func objects(withLabel key: String, value: String) -> [Object] {
        precondition(indexedLabels.contains(key), "label \(key) is not indexed by this store")
        return Self.objects(in: state.withLock { s in s.boxes(of: s.byLabel[key]?[value]) })
    }

    /// Objects that list an owner reference with `uid`.
    public func objects(ownedBy uid: String) -> [Object] {
        Self.objects(in: state.withLock { s in s.boxes(of: s.byOwner[uid]) })
    }

    public var isReady: Bool { state.withLock { $0.ready } }

    /// Tasks currently suspended in `waitUntilReady()` (lets tests act only once a waiter is parked).
    var readyWaiterCount: Int { state.withLock { $0.readyWaiters.count } }

    /// Returns once the first full list has been swapped in (at once if it already has), or when
    /// the calling task is cancelled (check `isReady` or `Task.isCancelled` afterwards).
    public func waitUntilReady() async {
        let id = state.withLock { s -> UInt64 in s.nextWaiter += 1; return s.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.ready || Task.isCancelled { return true }
                    s.readyWaiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.readyWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    private func rebuildIndexes(_ s: inout StoreState) {
        s.byLabel = [:]
        s.byOwner = [:]
        s.indexes.removeAll()
        for (k, b) in s.objects { index(k, Self.object(in: b), &s) }
    }

    private func index(_ k: ObjectKey, _ o: Object, _ s: inout StoreState) {
        if !indexedLabels.isEmpty, let labels = o.metadata.labels {
            for (lk, lv) in labels where indexedLabels.contains(lk) {
                s.byLabel[lk, default: [:]].insert(k, under: lv)
            }
        }
        for ref in o.metadata.ownerReferences ?? [] { s.byOwner.insert(k, under: ref.uid) }
        insertIntoIndexes(k, o, &s.indexes)
    }

    /// `unindex(k, old)` then `index(k, new)`, leaving alone each table (an indexed label, the
    /// owners, an index) whose values for the object did not change — most updates change one
    /// status field, not the labels, owners or index values. The same tables result: within one
    /// table, removing a key and listing it again under the same values changes nothing.
    private func reindex(_ k: ObjectKey, from old: Object, to new: Object, _ s: inout StoreState) {
        let before = old.metadata
        let after = new.metadata
        for lk in indexedLabels {
            let was = before.labels?[lk]
            let now = after.labels?[lk]
            guard was != now else { continue }
            if let was { s.byLabel[lk]?.remove(k, under: was) }
            if let now { s.byLabel[lk, default: [:]].insert(k, under: now) }
        }
        let ownersBefore = before.ownerReferences?.map { $0.uid } ?? []
        let ownersAfter = after.ownerReferences?.map { $0.uid } ?? []
        if ownersBefore != ownersAfter {
            for uid in ownersBefore { s.byOwner.remove(k, under: uid) }
            for uid in ownersAfter { s.byOwner.insert(k, under: uid) }
        }
        for (name, function) in s.indexes.functions {
            let keys = Self.keys(function)
            let was = keys(old)
            let now = keys(new)
            guard was != now else { continue }
            for value in was { s.indexes.entries[name]?.remove(k, under: value) }
            for value in now { s.indexes.entries[name, default: [:]].insert(k, under: value) }
        }
    }

    private func unindex(_ k: ObjectKey, _ o: Object, _ s: inout StoreState) {
        if !indexedLabels.isEmpty, let labels = o.metadata.labels {
            for (lk, lv) in labels where indexedLabels.contains(lk) {
                s.byLabel[lk]?.remove(k, under: lv)
            }
        }
        for ref in o.metadata.ownerReferences ?? [] { s.byOwner.remove(k, under: ref.uid) }
        removeFromIndexes(k, o, &s.indexes)
    }
}
