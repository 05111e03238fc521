import KubeAPI
import Operator
import Runs
import Testing

/// The lease rules of SPEC §6 as a pure function: one table row per rule and per boundary.
@Suite struct LeasePolicyTests {
    static let t0 = KubeTime(secondsSince1970: 1_900_000_000)
    static func at(_ s: Int64) -> KubeTime { t0.adding(seconds: Double(s)) }
    static let h: Int64 = 3600, m: Int64 = 60

    static func state(mode: RunMode = .fullEnv, retain: Bool = false, lease: Int64 = 24 * h, runs: [LeaseRunUse] = [],
                      superseded: Int64? = nil, renewed: Int64? = nil) -> LeaseState {
        LeaseState(mode: mode, retain: retain, retainedSince: t0, leaseExpiresAt: at(lease), runs: runs,
                   supersededAt: superseded.map(at), renewedAt: renewed.map(at))
    }
    static func done(_ name: String, _ finished: Int64) -> LeaseRunUse { LeaseRunUse(name: name, isTerminal: true, finishedAt: at(finished)) }
    static func running(_ name: String) -> LeaseRunUse { LeaseRunUse(name: name, isTerminal: false) }

    @Test func leaseIsNowPlusTheTTLOfTheRole() {
        var config = OperatorConfig.defaults
        config.namespaceTTL = ByRole(default: .hours(24), byRole: [.dev: .hours(48), .qa: .hours(6)])
        #expect(LeasePolicy.leaseEnd(renewedAt: Self.t0, role: .dev, config: config) == Self.at(48 * Self.h))
        #expect(LeasePolicy.leaseEnd(renewedAt: Self.t0, role: .qa, config: config) == Self.at(6 * Self.h))
        for role in Role.allCases where role != .dev && role != .qa {
            #expect(LeasePolicy.leaseEnd(renewedAt: Self.t0, role: role, config: config) == Self.at(24 * Self.h), "\(role)")
        }
    }

    @Test func renewalExtendsFromNowAndCountsRenewalsAfterTheFirstGrant() {
        let first = LeasePolicy.renewed(nil, by: "r1", ttl: .hours(24), now: Self.t0)
        #expect(first == RunNamespaceStatus(phase: .active, leaseExpiresAt: Self.at(24 * Self.h), leaseRenewedAt: Self.t0,
                                            renewals: 0, activeRuns: ["r1"], lastRun: "r1"))
        var finished = first
        finished.activeRuns = []
        finished.phase = .active
        let second = LeasePolicy.renewed(finished, by: "r2", ttl: .hours(24), now: Self.at(30 * Self.h))
        #expect(second.leaseExpiresAt == Self.at(54 * Self.h) && second.leaseRenewedAt == Self.at(30 * Self.h))
        #expect(second.renewals == 1 && second.activeRuns == ["r2"] && second.lastRun == "r2")
        // The same run renewing twice (a retried write) does not list it twice.
        #expect(LeasePolicy.renewed(second, by: "r2", ttl: .hours(24), now: Self.at(31 * Self.h)).activeRuns == ["r2"])
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var what: String
        var state: LeaseState
        var now: Int64
        var want: LeaseDecision
        var testDescription: String { what }
    }

    static let rows: [Row] = [
        Row(what: "fresh full-env lease waits for its end", state: state(runs: [done("r", h)]), now: 2 * h,
            want: .requeue(at: at(24 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "expires at the lease end exactly", state: state(runs: [done("r", h)]), now: 24 * h,
            want: .expire(cause: .leaseExpired)),
        Row(what: "one second before the end it still waits", state: state(runs: [done("r", h)]), now: 24 * h - 1,
            want: .requeue(at: at(24 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "a non-terminal run holds it past its lease", state: state(runs: [done("a", h), running("b")]), now: 100 * h,
            want: .hold(activeRuns: ["b"])),
        Row(what: "a non-terminal run holds even a superseded debug namespace",
            state: state(retain: true, runs: [running("b")], superseded: 0), now: 1000 * h, want: .hold(activeRuns: ["b"])),
        Row(what: "code-only ends codeOnlyGrace after its last run", state: state(mode: .codeOnly, runs: [done("a", h), done("b", 2 * h)]),
            now: 2 * h, want: .requeue(at: at(2 * h + 10 * m), phase: .active, cause: .codeOnlyFinished)),
        Row(what: "code-only expires at finish + grace", state: state(mode: .codeOnly, runs: [done("a", 2 * h)]), now: 2 * h + 10 * m,
            want: .expire(cause: .codeOnlyFinished)),
        Row(what: "code-only never outlives its lease", state: state(mode: .codeOnly, lease: h, runs: [done("a", h - 60)]), now: 0,
            want: .requeue(at: at(h), phase: .active, cause: .leaseExpired)),
        Row(what: "code-only: a finish before the last renewal (a revise started since, not seen yet) ends nothing",
            state: state(mode: .codeOnly, lease: 30 * h, runs: [done("a", h)], renewed: 6 * h), now: 6 * h,
            want: .requeue(at: at(30 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "code-only: a finish at the renewal or later counts",
            state: state(mode: .codeOnly, lease: 30 * h, runs: [done("a", h), done("b", 7 * h)], renewed: 6 * h), now: 7 * h,
            want: .requeue(at: at(7 * h + 10 * m), phase: .active, cause: .codeOnlyFinished)),
        Row(what: "full-env ignores codeOnlyGrace", state: state(mode: .fullEnv, runs: [done("a", h)]), now: h + 10 * m,
            want: .requeue(at: at(24 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "superseded ends supersededGrace after the new run", state: state(runs: [done("a", h)], superseded: 3 * h), now: 3 * h,
            want: .requeue(at: at(3 * h + 15 * m), phase: .active, cause: .superseded)),
        Row(what: "superseded expires at the grace", state: state(runs: [done("a", h)], superseded: 3 * h), now: 3 * h + 15 * m,
            want: .expire(cause: .superseded)),
        Row(what: "superseding late never extends the lease", state: state(lease: 4 * h, runs: [done("a", h)], superseded: 4 * h),
            now: 0, want: .requeue(at: at(4 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "the earlier of code-only and superseded wins",
            state: state(mode: .codeOnly, runs: [done("a", h)], superseded: h - 10 * m), now: h,
            want: .requeue(at: at(h + 5 * m), phase: .active, cause: .superseded)),
        Row(what: "debug: active until its lease, decided again when it passes", state: state(retain: true, runs: [done("a", h)]),
            now: h, want: .requeue(at: at(24 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "debug: retained after its lease until debugMaxRetention", state: state(retain: true, runs: [done("a", h)]),
            now: 24 * h, want: .requeue(at: at(72 * h), phase: .retained, cause: .debugRetentionEnded)),
        Row(what: "debug: retained past code-only and superseded graces",
            state: state(mode: .codeOnly, retain: true, runs: [done("a", h)], superseded: 2 * h), now: 3 * h,
            want: .requeue(at: at(72 * h), phase: .retained, cause: .debugRetentionEnded)),
        Row(what: "debug: expires at debugMaxRetention", state: state(retain: true, runs: [done("a", h)]), now: 72 * h,
            want: .expire(cause: .debugRetentionEnded)),
        Row(what: "debug: a lease renewed past the retention expires normally",
            state: state(retain: true, lease: 80 * h, runs: [done("a", 70 * h)]), now: 75 * h,
            want: .requeue(at: at(80 * h), phase: .active, cause: .leaseExpired)),
        Row(what: "no runs at all (crash before the first run) expires at the lease", state: state(), now: 24 * h,
            want: .expire(cause: .leaseExpired)),
    ]

    @Test(arguments: rows) func decision(_ row: Row) {
        #expect(LeasePolicy.decide(row.state, now: Self.at(row.now), graces: Graces()) == row.want)
    }

    @Test func configuredGracesAreTheOnesUsed() {
        var g = Graces()
        g.codeOnlyGrace = .minutes(1)
        g.supersededGrace = .minutes(2)
        g.debugMaxRetention = .hours(30)
        #expect(LeasePolicy.decide(Self.state(mode: .codeOnly, runs: [Self.done("a", Self.h)]), now: Self.t0, graces: g)
            == .requeue(at: Self.at(Self.h + Self.m), phase: .active, cause: .codeOnlyFinished))
        #expect(LeasePolicy.decide(Self.state(superseded: Self.h), now: Self.t0, graces: g)
            == .requeue(at: Self.at(Self.h + 2 * Self.m), phase: .active, cause: .superseded))
        #expect(LeasePolicy.decide(Self.state(retain: true), now: Self.at(25 * Self.h), graces: g)
            == .requeue(at: Self.at(30 * Self.h), phase: .retained, cause: .debugRetentionEnded))
    }

    static func run(_ name: String, stage: Stage = .dev, revise: Bool = false, namespace: String?, created: Int64) -> AgentRun {
        var spec = AgentRunSpec(repository: "o/r", issue: 7, stage: stage)
        spec.revise = revise
        var run = AgentRun(metadata: ObjectMeta(name: name, namespace: "ctl"), spec: spec)
        run.status = AgentRunStatus(namespace: namespace, conditions: namespace == nil ? nil : [
            Condition(type: "Admitted", status: "True", reason: "Admitted", lastTransitionTime: at(created)),
        ])
        return run
    }

    @Test func supersededByTheFirstNonReviseRunOfTheSameKeyAdmittedElsewhereAfterTheRenewal() {
        let runs = [
            Self.run("own", namespace: "ns", created: 10),            // the namespace's own run
            Self.run("older", namespace: "old", created: -5),         // admitted before the renewal
            Self.run("revise", revise: true, namespace: "x", created: 20),
            Self.run("other-stage", stage: .qa, namespace: "y", created: 30),
            Self.run("not-admitted", namespace: nil, created: 40),
            Self.run("newer", namespace: "z", created: 60),
            Self.run("newest", namespace: "w", created: 90),
        ]
        #expect(LeasePolicy.supersededAt(namespace: "ns", repository: "o/r", issue: 7, stage: .dev, since: Self.t0, runs: runs)
            == Self.at(60))
        #expect(LeasePolicy.supersededAt(namespace: "ns", repository: "o/r", issue: 8, stage: .dev, since: Self.t0, runs: runs)
            == nil)
    }
}
