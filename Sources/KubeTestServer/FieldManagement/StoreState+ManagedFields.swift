import KubeAPI

extension StoreState {
    /// Records a create/update/patch in `metadata.managedFields` (operation `Update`), by the
    /// request's `fieldManager` or else its User-Agent product token.
    func recordManagedFields(_ type: ResourceType, _ object: inout JSONValue, old: JSONValue?, options: WriteOptions,
                             subresource: String?) {
        if let applied = options.applyConfiguration, let manager = options.fieldManager {
            object = ServerSideApply.recordOwnership(applied, manager: manager, in: object, type: type, now: now())
            return
        }
        guard let manager = options.fieldManager ?? options.userAgentManager else { return }
        ManagedFields.recordUpdate(type, new: &object, old: old, manager: manager, subresource: subresource, now: now())
    }
}
