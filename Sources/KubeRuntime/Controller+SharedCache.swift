import KubeAPI

extension Controller {
    /// Watches the primary resource of `other` through `other`'s own cache instead of opening a
    /// second watch and holding a second copy (controller-runtime's shared informer cache): every
    /// event `other`'s primary watch delivers is applied to its store, then the affected objects
    /// are mapped to keys of this controller's queue — the same objects, in the same order, as a
    /// watch of its own would have queued.
    ///
    /// Contract:
    /// - Returns `other.store` (transformed as `other` configured it); this controller's reconciles
    ///   start only once it has its first list, like any cache of this controller.
    /// - Nothing more is listed or watched: `other.runCaches()` fills the store, so `other` must run
    ///   too (a `Manager` given both runs both).
    /// - Call it before `other`'s caches run (at wiring time), or the events before the call are
    ///   not mapped.
    @discardableResult
    public func watches<Other>(cacheOf other: Controller<Other>,
                               mapping: @escaping @Sendable (Other) -> [ObjectKey]) -> Store<Other> {
        let queue = self.queue
        other.primaryListeners.withLock {
            $0.append { affected in
                for k in mappedKeys(affected, mapping) { queue.add(k) }
            }
        }
        let store = other.store
        registrations.withLock {
            // Nothing to run, but `runCaches()` runs until cancelled (`run()` ends when it returns).
            $0.append(WatchRegistration(run: { while !Task.isCancelled { try? await Task.sleep(for: .seconds(86_400)) } },
                                        waitUntilReady: { await store.waitUntilReady() }, isReady: { store.isReady }))
        }
        return store
    }
}

/// `Set(objects.flatMap(mapping))`, as a loop (`flatMap` over a generic `Object` ran
/// unspecialized in the operator, with metadata lookups per call).
func mappedKeys<Object>(_ objects: [Object], _ mapping: (Object) -> [ObjectKey]) -> Set<ObjectKey> {
    var keys = Set<ObjectKey>()
    for i in 0..<objects.count {
        for k in mapping(objects[i]) { keys.insert(k) }
    }
    return keys
}
