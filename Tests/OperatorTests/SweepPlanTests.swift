import KubeAPI
import Operator
import Runs
import TestSupport
import Testing

/// The scope rules (`RunNamespaceScope`) and the sweep's decisions (`SweepPlanner`), pure; the
/// property test throws thousands of random namespaces at the planner.
@Suite struct SweepPlanTests {
    static let t0 = KubeTime(secondsSince1970: 1_900_000_000)
    static var config: OperatorConfig {
        var c = OperatorConfig.defaults
        c.controlNamespace = "codex-system"
        c.namespacePrefix = "codex"
        return c
    }
    static let managed = [WellKnown.managedByLabel: WellKnown.managedByValue, WellKnown.purposeLabel: WellKnown.purposeRun]

    static func namespace(_ name: String, labels: [String: String]?, created: Int64 = -86_400, deleting: Bool = false,
                          annotations: [String: String]? = nil) -> Namespace {
        var meta = ObjectMeta(name: name, labels: labels, annotations: annotations)
        meta.uid = "uid-\(name)"
        meta.creationTimestamp = t0.adding(seconds: Double(created))
        if deleting { meta.deletionTimestamp = t0.adding(seconds: -60) }
        return Namespace(metadata: meta)
    }

    static func record(_ name: String, phase: RunNamespacePhase? = .active, lease: Int64) -> RunNamespace {
        RunNamespace(metadata: ObjectMeta(name: name),
                     spec: RunNamespaceSpec(repository: "acme/shop", issue: 1, stage: .dev, role: .dev, mode: .fullEnv, ttl: .hours(24)),
                     status: RunNamespaceStatus(phase: phase, leaseExpiresAt: t0.adding(seconds: Double(lease))))
    }

    @Test(arguments: [
        ("codex-acme-1-dev-abc123", managed, true),
        ("codex-acme-1-dev-abc123", [WellKnown.managedByLabel: WellKnown.managedByValue], false),
        ("codex-acme-1-dev-abc123", [WellKnown.purposeLabel: WellKnown.purposeRun], false),
        ("codex-acme-1-dev-abc123", [WellKnown.managedByLabel: "helm", WellKnown.purposeLabel: WellKnown.purposeRun], false),
        ("codex-acme-1-dev-abc123", nil, false),
        ("codex-system", managed, false),
        ("default", managed, false),
        ("kube-system", managed, false),
        ("kube-public", managed, false),
        ("kube-node-lease", managed, false),
        ("other-acme-1-dev-abc123", managed, false),
        ("codexacme", managed, false),
    ] as [(String, [String: String]?, Bool)])
    func scope(name: String, labels: [String: String]?, inScope: Bool) {
        #expect(RunNamespaceScope(Self.config).contains(name: name, labels: labels) == inScope)
    }

    @Test func exclusionsNameTheirRule() {
        let scope = RunNamespaceScope(Self.config)
        #expect(scope.exclusion(name: "codex-system", labels: Self.managed) == .controlNamespace)
        #expect(scope.exclusion(name: "kube-system", labels: Self.managed) == .protectedNamespace)
        #expect(scope.exclusion(name: "codex-x", labels: [:]) == .notLabelled)
        #expect(scope.exclusion(name: "team-x", labels: Self.managed) == .otherPrefix)
        // A control namespace that itself starts with the prefix is still never in scope.
        #expect(!RunNamespaceScope(controlNamespace: "codex-ops", namespacePrefix: "codex").contains(name: "codex-ops", labels: Self.managed))
    }

    @Test func orphansWaitForTheGraceThenGo() {
        let grace = Int64(Self.config.sweep.orphanGrace.seconds)
        func plan(createdAgo: Int64) -> [SweepItem] {
            SweepPlanner.plan(SweepInventory(namespaces: [Self.namespace("codex-a", labels: Self.managed, created: -createdAgo)],
                                             runNamespaces: [], runs: []),
                              now: Self.t0, config: Self.config) { _ in .expire(cause: .leaseExpired) }
        }
        #expect(plan(createdAgo: grace - 1).map(\.skip) == [.orphanGrace])
        #expect(plan(createdAgo: grace - 1).first?.due == Self.t0.adding(seconds: 1))
        #expect(plan(createdAgo: grace).map(\.action) == [.delete])
    }

    @Test func aTerminatingNamespaceIsReportedWithWhatHoldsIt() {
        var ns = Self.namespace("codex-t", labels: Self.managed, deleting: true)
        ns.spec = NamespaceSpec(finalizers: ["kubernetes"])
        ns.status = NamespaceStatus(phase: "Terminating", conditions: [
            Condition(type: "NamespaceFinalizersRemaining", status: "True", reason: "SomeFinalizersRemain",
                      message: "Some content in the namespace has finalizers remaining: example.com/hold"),
            Condition(type: "NamespaceDeletionDiscoveryFailure", status: "False"),
        ])
        let items = SweepPlanner.plan(SweepInventory(namespaces: [ns], runNamespaces: [Self.record("codex-t", phase: .terminating, lease: -10)],
                                                     runs: []),
                                      now: Self.t0, config: Self.config) { _ in .expire(cause: .leaseExpired) }
        #expect(items.map(\.action) == [.report])
        #expect(items.first?.reason == .terminating)
        #expect(items.first?.detail == "finalizers: kubernetes; NamespaceFinalizersRemaining: Some content in the namespace has finalizers remaining: example.com/hold")
    }

    /// Seeded random namespaces with random labels and annotations, random RunNamespaces, random
    /// runs: every destructive action is on an in-scope namespace that is orphaned past the grace
    /// (and used by no active run) or whose lease ended; and every such namespace is acted on.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func onlyManagedOrphanedOrExpiredNamespacesAreEverDeleted(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let config = Self.config
        // The oracle, written out independently of `RunNamespaceScope` (SPEC §6 word for word).
        func nameOurs(_ name: String) -> Bool {
            name != "default" && !name.hasPrefix("kube-") && name != config.controlNamespace && name.hasPrefix("codex-")
        }
        func ours(_ ns: Namespace) -> Bool {
            nameOurs(ns.metadata.name!) && ns.metadata.labels?["app.kubernetes.io/managed-by"] == "codex-k8s"
                && ns.metadata.labels?["codex-k8s.dev/namespace-purpose"] == "run"
        }
        let grace = Int64(config.sweep.orphanGrace.seconds)
        let names = ["default", "kube-system", "kube-public", "kube-x", "codex-system", "codex", "codexx-1", "team-a", "codex-system-2"]
            + (0..<40).map { "codex-r\($0)" }
        let labelKeys = [WellKnown.managedByLabel, WellKnown.purposeLabel, WellKnown.issueLabel, "team", "codex-k8s.dev/run"]
        let labelValues = [WellKnown.managedByValue, WellKnown.purposeRun, "helm", "", "42", "run "]
        var namespaces: [Namespace] = []
        var records: [RunNamespace] = []
        var runs: [AgentRun] = []
        var ended: Set<String> = [] // what the lease rules say about each record
        for name in names {
            if rng.next() % 8 == 0 { continue } // a RunNamespace (maybe) without a Namespace
            var labels: [String: String] = [:]
            for key in labelKeys where rng.next() % 2 == 0 { labels[key] = labelValues.randomElement(using: &rng)! }
            if rng.next() % 2 == 0 { labels.merge(Self.managed) { $1 } }
            var annotations: [String: String] = [:]
            if rng.next() % 2 == 0 { annotations[WellKnown.leaseExpiresAtAnnotation] = Self.t0.adding(seconds: -100).rfc3339 }
            if rng.next() % 3 == 0 { annotations["codex-k8s.dev/repository"] = "acme/shop" }
            namespaces.append(Self.namespace(name, labels: rng.next() % 10 == 0 ? nil : labels,
                                             created: -Int64(rng.next() % UInt64(2 * grace)), deleting: rng.next() % 6 == 0,
                                             annotations: annotations))
        }
        for name in names where rng.next() % 2 == 0 {
            let phases: [RunNamespacePhase?] = [nil, .provisioning, .active, .active, .retained, .expired, .terminating]
            records.append(Self.record(name, phase: phases.randomElement(using: &rng)!, lease: Int64(rng.next() % 7200) - 3600))
            if rng.next() % 2 == 0 { ended.insert(name) }
        }
        for name in names where rng.next() % 4 == 0 {
            let phase: AgentRunPhase = [.running, .succeeded, .failed, .pending].randomElement(using: &rng)!
            var run = AgentRun(metadata: ObjectMeta(name: "run-\(name)", namespace: config.controlNamespace),
                               spec: AgentRunSpec(repository: "acme/shop", issue: 1, stage: .dev))
            run.status = AgentRunStatus(phase: phase, namespace: name)
            runs.append(run)
        }
        let items = SweepPlanner.plan(SweepInventory(namespaces: namespaces, runNamespaces: records, runs: runs),
                                      now: Self.t0, config: config) { rns in
            ended.contains(rns.metadata.name ?? "") ? .expire(cause: .leaseExpired) : .hold(activeRuns: ["x"])
        }
        let nsByName = Dictionary(namespaces.map { ($0.metadata.name!, $0) }, uniquingKeysWith: { a, _ in a })
        let recordByName = Dictionary(records.map { ($0.metadata.name!, $0) }, uniquingKeysWith: { a, _ in a })
        let active = Set(runs.filter { !($0.status?.phase?.isTerminal ?? false) }.compactMap { $0.status?.namespace })

        func orphanDue(_ ns: Namespace) -> Bool {
            recordByName[ns.metadata.name!] == nil && !active.contains(ns.metadata.name!) && ns.metadata.deletionTimestamp == nil
                && ns.metadata.creationTimestamp!.adding(seconds: Double(grace)) <= Self.t0
        }
        func leaseDue(_ name: String) -> Bool {
            guard let r = recordByName[name], nsByName[name]?.metadata.deletionTimestamp == nil else { return false }
            if r.status?.phase == .expired || r.status?.phase == .terminating { return true }
            guard r.status?.phase == .active || r.status?.phase == .retained else { return false }
            return r.status!.leaseExpiresAt! <= Self.t0 && ended.contains(name)
        }
        var destroyed: Set<String> = []
        for item in items where item.action == .delete || item.action == .expire {
            #expect(item.kind == .namespace)
            #expect(!["default", "codex-system"].contains(item.name) && !item.name.hasPrefix("kube-"), "seed \(seed): \(item.name)")
            #expect(nameOurs(item.name), "seed \(seed): \(item.name)")
            if let ns = nsByName[item.name] {
                #expect(ours(ns), "seed \(seed): \(item.name) is out of scope")
            }
            switch item.action {
            case .delete: #expect(nsByName[item.name].map(orphanDue) == true, "seed \(seed): orphan \(item.name) not due")
            default: #expect(leaseDue(item.name), "seed \(seed): lease of \(item.name) not ended")
            }
            destroyed.insert(item.name)
        }
        // Complete: every in-scope due namespace is acted on (the test fails both ways).
        for ns in namespaces where ours(ns) && (orphanDue(ns) || leaseDue(ns.metadata.name!)) {
            #expect(destroyed.contains(ns.metadata.name!), "seed \(seed): \(ns.metadata.name!) was missed")
        }
        for (name, _) in recordByName where nsByName[name] == nil && nameOurs(name) && leaseDue(name) {
            #expect(destroyed.contains(name), "seed \(seed): record-only \(name) was missed")
        }
    }
}
