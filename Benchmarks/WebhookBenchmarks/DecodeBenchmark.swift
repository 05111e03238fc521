import Foundation
import KubeAPI
import Runs
import Webhook

/// (a) What one delivery costs before Kubernetes: HMAC-SHA256 verify of the raw body, JSON parse,
/// envelope and plan (`DeliveryPlanner`), then the run's name and validation — the adapter's
/// work up to the cache lookup. One thread; CPU time of that thread (`CLOCK_THREAD_CPUTIME_ID`),
/// so other processes on the shared cores do not count.
enum DecodeBenchmark {
    struct NoHistory: RunHistory {
        func latestRun(repository: String, pullRequest: Int64) -> AgentRun? { nil }
    }

    static func run(count: Int = 100_000) {
        let secret = Array("bench-secret".utf8)
        let payload = IssueLabeledPayload()
        // 1,000 distinct signed deliveries, cycled (signing is the sender's work, not measured).
        let deliveries: [(body: [UInt8], signature: String, id: String)] = (0..<1000).map { i in
            let body = payload.body(number: 1000 + i, label: "run:dev")
            return (body, HubSignature.header(secret: secret, body: body), UUID().uuidString.lowercased())
        }
        let planner = DeliveryPlanner(settings: WebhookSettings())
        let history = NoHistory()
        let receivedAt = KubeTime.now(precision: .micro)
        say("decode: issues/labeled, \(deliveries[0].body.count) bytes, \(count) deliveries, one thread")

        func once(_ i: Int) -> Bool {
            let d = deliveries[i % deliveries.count]
            guard HubSignature.verify(header: d.signature, body: d.body, secrets: [secret]) else { return false }
            guard let json = try? JSONValue(parsing: d.body, maxDepth: 64) else { return false }
            let env = DeliveryPlanner.envelope(event: "issues", deliveryID: d.id, payload: json, receivedAt: receivedAt)
            guard case .create(let spec)? = try? planner.plan(env, payload: json, history: history) else { return false }
            let name = RunNames.agentRun(repository: spec.repository, issue: spec.issue, stage: spec.stage, revise: spec.isRevise,
                                         deliveryID: d.id)
            let run = AgentRun(metadata: ObjectMeta(name: name, namespace: "codex-system"), spec: spec)
            return RunValidation.validate(run).isEmpty
        }
        for i in 0..<2000 where !once(i) {
            say("decode: delivery \(i) did not plan a valid run")
            exit(1)
        }
        measure("verify + parse + plan + name + validate", count) { i in _ = once(i) }
        measure("  verify (HMAC-SHA256, 1 secret)", count) { i in
            let d = deliveries[i % deliveries.count]
            _ = HubSignature.verify(header: d.signature, body: d.body, secrets: [secret])
        }
        measure("  parse (JSONValue)", count) { i in _ = try? JSONValue(parsing: deliveries[i % deliveries.count].body, maxDepth: 64) }
        let parsed = deliveries.map { try! JSONValue(parsing: $0.body, maxDepth: 64) }
        measure("  envelope + plan", count) { i in
            let env = DeliveryPlanner.envelope(event: "issues", deliveryID: deliveries[i % 1000].id, payload: parsed[i % 1000],
                                               receivedAt: receivedAt)
            _ = try? planner.plan(env, payload: parsed[i % 1000], history: history)
        }
    }

    static func measure(_ label: String, _ count: Int, _ body: (Int) -> Void) {
        let cpu0 = ProcessInfo.threadCPUSeconds, wall0 = ContinuousClock.now
        for i in 0..<count { body(i) }
        let cpu = ProcessInfo.threadCPUSeconds - cpu0
        let wall = ContinuousClock.now - wall0
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        say("  \(label): " + String(format: "%.2f µs/delivery CPU → %.0f/s on one core (wall %.0f/s)",
                                            cpu / Double(count) * 1e6, Double(count) / cpu, Double(count) / wallSeconds))
    }
}

extension ProcessInfo {
    /// CPU time consumed by the calling thread.
    static var threadCPUSeconds: Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
