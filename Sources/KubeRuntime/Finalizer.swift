import KubeAPI

/// Writes an object's finalizer list; `KubeClientFinalizerClient` adapts KubeClient.
public protocol FinalizerClient<Object>: Sendable {
    associatedtype Object: KubeResource
    /// Sets `metadata.finalizers` of `object` (identified by its metadata) to `finalizers`,
    /// conditional on `object.metadata.resourceVersion` (a conflict throws), and returns the result.
    func setFinalizers(_ finalizers: [String], of object: Object) async throws -> Object
}

/// What the finalizer helper asks the reconciler to do.
public enum FinalizerEvent<Object: KubeResource>: Sendable {
    /// The object is live and carries the finalizer: reconcile it normally.
    case apply(Object)
    /// The object is being deleted and still carries the finalizer: clean up external state.
    case cleanup(Object)
}

/// kube-rs's `finalizer` helper. Guarantees:
/// - `.apply` runs only once the finalizer is on the object, so a later deletion always waits for
///   `.cleanup`.
/// - The finalizer is removed only after `.cleanup` returned successfully; if cleanup throws, the
///   error propagates (to the error policy) and the finalizer stays.
/// - Both sides are idempotent: adding or removing a finalizer that is already (not) there is not
///   written again; cleanup may run more than once (e.g. the removal hit a conflict), so it must
///   be idempotent itself.
/// Writes are conditional on the object's resourceVersion, so a stale object never clobbers others'
/// finalizers.
public func reconcileWithFinalizer<Client: FinalizerClient>(
    _ object: Client.Object, finalizer: String, client: Client,
    handle: (FinalizerEvent<Client.Object>) async throws -> Action
) async throws -> Action {
    let finalizers = object.metadata.finalizers ?? []
    let present = finalizers.contains(finalizer)
    let deleting = object.metadata.deletionTimestamp != nil
    switch (deleting, present) {
    case (false, true):
        return try await handle(.apply(object))
    case (false, false):
        // Adding the finalizer produces a watch event that reconciles again with it in place.
        _ = try await client.setFinalizers(finalizers + [finalizer], of: object)
        return .awaitChange
    case (true, true):
        let action = try await handle(.cleanup(object))
        _ = try await client.setFinalizers(finalizers.filter { $0 != finalizer }, of: object)
        return action
    case (true, false):
        return .awaitChange
    }
}
