import KubeAPI

/// The set of served resources: the built-ins plus every Established CustomResourceDefinition.
///
/// Lookups are by group/version/plural (paths) and by storage key; CRD-defined types are
/// (re)registered when their CRD is committed and removed when it is gone. Every lookup that runs
/// per request is a hash lookup in an index kept beside `types` (same answer as the first match
/// in `types`): they ran on every write and every request under the store's lock.
struct ResourceRegistry: Sendable {
    private(set) var types: [ResourceType] = []
    private var byPath: [String: ResourceType] = [:]
    /// The first registered type of each storage key.
    private var byStorageKey: [String: ResourceType] = [:]
    /// The first registered type of each `apiVersion` + `kind`.
    private var byKind: [String: ResourceType] = [:]
    /// `group/version` of every type.
    private var groupVersions: Set<String> = []

    init() {
        for t in BuiltinResources.all { add(t) }
    }

    private static func pathKey(_ group: String, _ version: String, _ plural: String) -> String {
        "\(group)/\(version)/\(plural)"
    }

    private static func kindKey(_ apiVersion: String, _ kind: String) -> String { "\(apiVersion) \(kind)" }

    private mutating func add(_ t: ResourceType) {
        types.append(t)
        byPath[Self.pathKey(t.group, t.version, t.plural)] = t
        if byStorageKey[t.storageKey] == nil { byStorageKey[t.storageKey] = t }
        let kind = Self.kindKey(t.apiVersion, t.kind)
        if byKind[kind] == nil { byKind[kind] = t }
        groupVersions.insert("\(t.group)/\(t.version)")
    }

    func lookup(group: String, version: String, plural: String) -> ResourceType? {
        byPath[Self.pathKey(group, version, plural)]
    }

    /// Any served version of a storage key (the first registered, i.e. the preferred one).
    func anyVersion(storageKey: String) -> ResourceType? {
        byStorageKey[storageKey]
    }

    /// The served type for `apiVersion` + `kind` (ownerReferences, SSA bodies).
    func lookup(apiVersion: String, kind: String) -> ResourceType? {
        byKind[Self.kindKey(apiVersion, kind)]
    }

    /// Whether any type has this group and version.
    func serves(group: String, version: String) -> Bool {
        groupVersions.contains("\(group)/\(version)")
    }

    /// Replaces the types defined by CRD `crdName` with `newTypes` (empty to unregister).
    mutating func setCRDTypes(crdName: String, _ newTypes: [ResourceType]) {
        let kept = types.filter { $0.crdName != crdName }
        types = []
        byPath = [:]
        byStorageKey = [:]
        byKind = [:]
        groupVersions = []
        for t in kept + newTypes { add(t) }
    }

    /// Groups in discovery order (core first, then by name) with their versions, preferred first.
    var groups: [(name: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for t in types where !t.group.isEmpty {
            if versions[t.group] == nil { order.append(t.group); versions[t.group] = [] }
            if !versions[t.group]!.contains(t.version) { versions[t.group]!.append(t.version) }
        }
        return order.map { ($0, versions[$0]!) }
    }

    func types(group: String, version: String) -> [ResourceType] {
        types.filter { $0.group == group && $0.version == version }
    }
}
