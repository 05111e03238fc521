import KubeAPI

/// Identifies one stored object.
struct ObjectRef: Sendable, Hashable {
    var storageKey: String
    var namespace: String?
    var name: String

    var key: String { namespace.map { "\($0)/\(name)" } ?? name }
}

/// The objects of one resource by key (`ns/name` or `name`).
typealias ObjectTable = ShardedDictionary<String, JSONValue>

/// Everything the server holds, mutated only under `Store`'s lock.
///
/// Invariants: `resourceVersion` only grows; every change goes through `commit`, which stamps the
/// object, records a `StoredEvent` in the bounded history and fans it out to watchers in order;
/// `uidIndex` and `dependents` always reflect `objects`.
struct StoreState: Sendable {
    var registry = ResourceRegistry()
    /// storageKey → object key (`ns/name` or `name`) → object. The per-resource tables are
    /// `ShardedDictionary`s: a resource with tens of thousands of objects grows without rehashing
    /// all of them in one write (which stalled every request ~20–50 ms, the store being one lock).
    var objects: [String: ObjectTable] = [:]
    var resourceVersion: Int64 = 1
    /// Retained events, oldest first, starting at `historyStart`.
    var history: [StoredEvent] = []
    var historyStart = 0
    var historyLimit: Int
    /// Events at or below this resourceVersion are no longer retained (watching from older → 410).
    var compactedRV: Int64 = 1
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 1
    /// uid → object (sharded like `objects`: it holds every object of every resource).
    var uidIndex = ShardedDictionary<String, ObjectRef>()
    /// owner uid → dependents (objects whose ownerReferences name it).
    var dependents: [String: Set<ObjectRef>] = [:]
    /// Controller work produced by commits, drained by `settle()`.
    var pending: [StoredEvent] = []
    var clock: @Sendable () -> Double
    var options: ServerOptions
    /// The SubjectAccessReview policy (nil = allow everything).
    var accessPolicy: (@Sendable (JSONValue) -> Bool)?
    /// Container logs set by tests (`FakeKubelet.setLog`), by `namespace/pod/container`.
    var podLogs: [String: String] = [:]
    /// When set (`FakeKubelet.runPodsAutomatically`), controller-created pods start Running and Ready.
    var kubeletRunsPods = false

    init(options: ServerOptions, clock: @escaping @Sendable () -> Double) {
        self.options = options
        self.historyLimit = options.historyLimit
        self.clock = clock
    }

    var retainedHistory: ArraySlice<StoredEvent> { history[historyStart...] }

    func now() -> String { KubeTime(secondsSince1970: clock()).rfc3339 }

    func object(_ ref: ObjectRef) -> JSONValue? { objects[ref.storageKey]?[ref.key] }

    static func ref(of object: JSONValue, storageKey: String) -> ObjectRef {
        ObjectRef(storageKey: storageKey, namespace: object[path: ["metadata", "namespace"]]?.stringValue,
                  name: object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    /// Stores (or removes, for `.deleted`) `object`, assigning the next resourceVersion, and
    /// publishes the event. Returns the event (whose `object` carries the new resourceVersion).
    @discardableResult
    mutating func commit(_ type: ObjectEventType, storageKey: String, object: JSONValue,
                         previous: JSONValue?) -> StoredEvent {
        resourceVersion += 1
        var stamped = object
        stamped.set(path: ["metadata", "resourceVersion"], to: .string(String(resourceVersion)))
        let ref = Self.ref(of: stamped, storageKey: storageKey)
        let uid = stamped[path: ["metadata", "uid"]]?.stringValue
        if let old = previous { unindexOwners(old, ref: ref) }
        if type == .deleted {
            objects[storageKey]?.removeValue(forKey: ref.key)
            if let uid { uidIndex.removeValue(forKey: uid) }
        } else {
            objects[storageKey, default: [:]][ref.key] = stamped
            if let uid { uidIndex[uid] = ref }
            indexOwners(stamped, ref: ref)
        }
        let event = StoredEvent(resourceVersion: resourceVersion, storageKey: storageKey, namespace: ref.namespace,
                                type: type, object: stamped, previous: previous)
        history.append(event)
        if history.count - historyStart > historyLimit { compact(keeping: historyLimit) }
        for w in watchers.values { w.deliver(event) }
        pending.append(event)
        return event
    }

    /// Drops all but the newest `keeping` events from the history.
    mutating func compact(keeping: Int) {
        let retained = history.count - historyStart
        if retained > keeping { historyStart += retained - keeping }
        if historyStart > 0 { compactedRV = max(compactedRV, history[historyStart - 1].resourceVersion) }
        if historyStart > 4096 && historyStart > history.count / 2 {
            history.removeFirst(historyStart)
            historyStart = 0
        }
    }

    private mutating func indexOwners(_ object: JSONValue, ref: ObjectRef) {
        for owner in object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] {
            if let uid = owner["uid"]?.stringValue { dependents[uid, default: []].insert(ref) }
        }
    }

    private mutating func unindexOwners(_ object: JSONValue, ref: ObjectRef) {
        for owner in object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] {
            if let uid = owner["uid"]?.stringValue {
                dependents[uid]?.remove(ref)
                if dependents[uid]?.isEmpty == true { dependents.removeValue(forKey: uid) }
            }
        }
    }

    /// A `ResourceType` able to present objects of `storageKey` (for controllers acting on any kind).
    func anyType(_ storageKey: String) -> ResourceType? { registry.anyVersion(storageKey: storageKey) }
}

/// Server-wide settings fixed at start.
public struct ServerOptions: Sendable {
    /// How many events the watch history keeps (older resourceVersions get 410 Expired).
    public var historyLimit: Int = 10_000
    /// Run the fake job controller: every Job gets a Pod, and Job status follows its pods.
    public var jobController: Bool = true
    /// Create the `default` ServiceAccount in every new namespace, like the serviceaccount controller.
    public var defaultServiceAccounts: Bool = true
    /// Create ConfigMap `kube-root-ca.crt` in every namespace, like the root-CA publisher.
    public var rootCAConfigMaps: Bool = true
    /// Interval of periodic BOOKMARK events for watches that allow them.
    public var bookmarkInterval: Double = 60
    /// Watch duration when the request gives no `timeoutSeconds`.
    public var defaultWatchTimeout: Double = 1800
    /// RBAC (the default, like a real cluster) or `.alwaysAllow` (no authentication errors, no
    /// authorization: everything is allowed). See `AuthorizationMode`.
    public var authorization: AuthorizationMode = .rbac
    /// Bearer tokens the server accepts, and the user each stands for (`--token-auth-file`).
    /// Holds `KubeTestServer.adminToken` → `UserInfo.admin` (`system:masters`) by default.
    public var staticTokens: [String: UserInfo] = [KubeTestServer.adminToken: .admin]
    /// How long a list at a resourceVersion newer than the store's waits before `504 Too large
    /// resource version` (kube-apiserver: 3 s).
    public var resourceVersionWait: Double = 3
    /// How many answered requests `KubeTestServer.requests.all` keeps (the newest); nil (the default,
    /// what tests assert on) keeps every one. Counts (`RequestLog.tally`, `count`) are exact either way.
    public var requestLogLimit: Int? = nil

    public init() {}
}
