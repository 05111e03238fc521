import Audit
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Runs
import Synchronization

/// Why a reconcile could not finish; the controller retries with back-off.
public enum OperatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The credentials Secret to copy is not in the control namespace.
    case missingCredentials(namespace: String, name: String)
    /// The fault-injection seam stopped the reconcile before a write (tests only).
    case stopped(String)

    public var description: String {
        switch self {
        case .missingCredentials(let ns, let name):
            "the agent credentials Secret \(ns)/\(name) does not exist; create it (runs wait until it does)"
        case .stopped(let what): "stopped before \(what)"
        }
    }
}

/// The caches a reconcile reads (filled by the controller's watches).
public struct OperatorCaches: Sendable {
    public var runs: Store<AgentRun>
    public var jobs: Store<Job>
    public var pods: Store<Pod>
    public var secrets: Store<Secret>

    public init(runs: Store<AgentRun>, jobs: Store<Job>, pods: Store<Pod>, secrets: Store<Secret>) {
        self.runs = runs
        self.jobs = jobs
        self.pods = pods
        self.secrets = secrets
    }
}

/// The AgentRun reconciler (SPEC §5): finalizer, validation and profile, admission, provisioning,
/// phase from Job and Pod truth, waiting, timeout, cancel and deletion.
///
/// Guarantees:
/// - Level-triggered: every decision is made from the caches (plus `RunLedger`'s memory of this
///   process's own writes), so reconciling any key any number of times converges.
/// - Writes only on change: a reconcile of a run whose observed state did not change makes no API
///   write; the status is written once per transition (one PUT of `/status`, conditional on the
///   resourceVersion).
/// - Provisioning is idempotent: AlreadyExists of an object labelled for this run is success; of
///   anyone else's object it fails the run (`FailedPrecondition`, naming the object).
/// - The finalizer `codex-k8s.dev/cleanup` is on every run before anything is created, and is
///   removed only after the Job is deleted.
public final class AgentRunReconciler: Sendable {
    public let client: KubeClient
    public let config: OperatorConfig
    let caches: Mutex<OperatorCaches?>
    let audit: any AuditSink
    let wallClock: @Sendable () -> Date
    let beforeWrite: @Sendable (String) throws -> Void
    /// Boxed: a bare optional closure in a `Mutex` gains two reabstraction thunks per `withLock`.
    let enqueue: Mutex<Enqueue?>
    struct Enqueue: Sendable { let call: @Sendable (ObjectKey) -> Void }
    let ledger = RunLedger()
    /// Admission's incremental view of the non-terminal runs (`refreshSlots`).
    let slots = AdmissionIndex()
    /// Where tests suspend a reconcile between a read and its conditional write (`FaultPoints`).
    public let faultPoints = FaultPoints()
    let logger: Logger
    /// The actor name of audit events.
    static let actor = "codex-k8s-operator"

    /// - Parameters:
    ///   - wallClock: the time used for every decision and timestamp (tests inject theirs).
    ///   - beforeWrite: called with a description before every API write; throwing stops the
    ///     reconcile there (fault injection: "the process died after N writes").
    public init(client: KubeClient, config: OperatorConfig, audit: any AuditSink,
                wallClock: @escaping @Sendable () -> Date = { Date() },
                beforeWrite: @escaping @Sendable (String) throws -> Void = { _ in },
                logger: Logger = Logger(label: "codex-k8s.operator")) {
        self.client = client
        self.config = config
        self.audit = audit
        self.wallClock = wallClock
        self.beforeWrite = beforeWrite
        self.caches = Mutex(nil)
        self.enqueue = Mutex(nil)
        self.logger = logger
    }

    /// Connects the caches and the queue (done once by `OperatorRuntime`).
    public func attach(caches: OperatorCaches, enqueue: @escaping @Sendable (ObjectKey) -> Void) {
        RunIndexes.register(on: caches.runs)
        self.caches.withLock { $0 = caches }
        self.enqueue.withLock { $0 = Enqueue(call: enqueue) }
        caches.runs.observe { [weak self] keys in self?.refreshSlots(keys.map(\.name)) }
        ledger.onChange { [weak self] name in self?.refreshSlots(CollectionOfOne(name)) }
        refreshSlots(caches.runs.keys.map(\.name))
    }

    /// The cached runs by phase (no phase yet: Pending), for the gauges: element `i` counts the
    /// runs in phase `AgentRunPhase.allCases[i]`, 0 when none.
    func phaseCounts() -> [Int] { stores.runs.counts(inIndex: RunIndexes.phase, eachOf: Self.phaseNames) }

    /// The raw values of every phase (the phase index's possible values).
    static let phaseNames = AgentRunPhase.allCases.map(\.rawValue)

    var stores: OperatorCaches { caches.withLock { $0! } }

    var now: KubeTime { KubeTime(wallClock(), precision: .seconds) }

    public func reconcile(_ key: ObjectKey) async throws -> Action {
        guard let cached = stores.runs.get(key) else {
            ledger.forget(key.name)
            requeuePending()
            return .awaitChange
        }
        var run = ledger.current(cached)
        if run.metadata.deletionTimestamp != nil {
            guard run.metadata.finalizers?.contains(RunLabels.finalizer) == true else { return .awaitChange }
            let latest = try await finish(run, cancelReason: .deleted)
            try await setFinalizers((latest.metadata.finalizers ?? []).filter { $0 != RunLabels.finalizer }, of: latest)
            ledger.forget(key.name)
            requeuePending()
            return .awaitChange
        }
        if run.metadata.finalizers?.contains(RunLabels.finalizer) != true {
            run = try await setFinalizers((run.metadata.finalizers ?? []) + [RunLabels.finalizer], of: run)
        }
        let phase = run.status?.phase
        if phase?.isTerminal == true { return .awaitChange }
        if run.spec.isCancelRequested {
            try await finish(run, cancelReason: .cancelRequested)
            requeuePending()
            return .awaitChange
        }
        switch phase {
        case nil, .pending?: return try await admit(run)
        default: return try await observe(run)
        }
    }

    /// Queues every run still waiting for admission (after a slot was freed).
    func requeuePending() {
        guard let enqueue = enqueue.withLock({ $0 })?.call else { return }
        // The cache's Pending runs: this process never writes Pending over a later phase, so the
        // ledger cannot know a run as Pending that the cache shows further on.
        for key in stores.runs.keys(inIndex: RunIndexes.phase, value: AgentRunPhase.pending.rawValue) { enqueue(key) }
    }

    /// JSON patch of `metadata.finalizers`, conditional on the resourceVersion.
    @discardableResult
    func setFinalizers(_ finalizers: [String], of run: AgentRun) async throws -> AgentRun {
        try beforeWrite("finalizers of AgentRun \(run.metadata.name ?? "")")
        var ops: [JSONPatchOperation] = []
        if let rv = run.metadata.resourceVersion { ops.append(.test(path: "/metadata/resourceVersion", value: .string(rv))) }
        ops.append(.add(path: "/metadata/finalizers", value: .array(finalizers.map { .string($0) })))
        let written = try await client.patch(AgentRun.self, namespace: run.metadata.namespace, name: run.metadata.name ?? "",
                                             .json(ops))
        ledger.record(written, over: run.metadata.resourceVersion)
        return written
    }
}
