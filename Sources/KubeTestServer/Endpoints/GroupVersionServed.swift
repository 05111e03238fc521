extension Store {
    /// Whether any served type has this (named) group and version: what `groups()` would list,
    /// answered without building the discovery list (it ran for every resource request).
    func servesGroupVersion(group: String, version: String) -> Bool {
        state.withLock { $0.registry.serves(group: group, version: version) }
    }
}
