extension Store {
    /// Whether any served type has this (named) group and version: what `groups()` would list,
    /// answered without building the discovery list (it ran for every resource request).
    func servesGroupVersion(group: String, version: String) -> Bool {
        state.withLock { s in s.registry.types.contains { $0.group == group && $0.version == version } }
    }
}
