import Foundation
import Runs
import Synchronization
import Webhook

/// Sends signed `issues/labeled` deliveries to the adapter over keep-alive connections, one
/// blocking thread per connection. Every delivery is a new trigger (a new issue number, a new
/// delivery id), so every one should create an AgentRun (202 `run_created`).
final class LoadGenerator: Sendable {
    struct Result {
        var latencies: [UInt64] = [] // nanoseconds
        var statuses: [Int: Int] = [:]
        var failures: [String] = []
        var seconds: Double = 0

        var count: Int { latencies.count }
        var rate: Double { Double(count) / seconds }

        mutating func merge(_ other: Result) {
            latencies += other.latencies
            other.statuses.forEach { statuses[$0.key, default: 0] += $0.value }
            failures += other.failures.prefix(5)
        }

        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return .nan }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }

        var summary: String {
            let answers = statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            return String(format: "%d deliveries in %.1f s = %.0f/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                          count, seconds, rate, percentile(0.5), percentile(0.9), percentile(0.99), percentile(1.0))
                + "; answers \(answers)" + (failures.isEmpty ? "" : "; failures: \(failures.prefix(3))")
        }
    }

    /// What the worker threads share.
    final class Tally: Sendable {
        let sent = Atomic<Int>(0)
        let results = Mutex(Result())
    }

    let port: Int
    let secret: [UInt8]
    let payload = IssueLabeledPayload()
    private let issues = Atomic<Int>(1)
    let completed = Atomic<Int>(0)
    /// 202 answers so far (runs created).
    let accepted = Atomic<Int>(0)
    /// Told the name of every run created (from the 202's `run`), with the time of the answer.
    let janitor: any RunJanitor

    init(port: Int, secret: String, janitor: any RunJanitor) {
        self.port = port
        self.secret = Array(secret.utf8)
        self.janitor = janitor
    }

    /// Counts a 202 and hands its run to the janitor.
    private func created(_ answer: (status: Int, body: [UInt8])) {
        guard answer.status == 202 else { return }
        accepted.add(1, ordering: .relaxed)
        if let name = Self.runName(answer.body) { janitor.created(name, at: nanos()) }
    }

    /// The value of `"run":"…"` in a compact JSON answer (a run name has no escapes).
    static func runName(_ body: [UInt8]) -> String? {
        let key = Array(#""run":""#.utf8)
        guard body.count > key.count else { return nil }
        for i in 0...(body.count - key.count) where body[i] == key[0] && Array(body[i..<(i + key.count)]) == key {
            let start = i + key.count
            guard let end = body[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: body[start..<end], as: UTF8.self)
        }
        return nil
    }

    /// One complete HTTP request: a new issue number and delivery id, signed like GitHub.
    func request() -> [UInt8] {
        let issue = issues.add(1, ordering: .relaxed).oldValue
        let body = payload.body(number: issue, label: "run:dev")
        let head = "POST \(WebhookRoutes.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: GitHub-Hookshot/bench\r\n"
            + "Accept: */*\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\n"
            + "X-GitHub-Delivery: \(UUID().uuidString.lowercased())\r\nX-GitHub-Hook-ID: 512345678\r\n"
            + "X-GitHub-Hook-Installation-Target-Type: repository\r\nX-GitHub-Hook-Installation-Target-ID: 186853002\r\n"
            + "X-Hub-Signature-256: \(HubSignature.header(secret: secret, body: body))\r\nContent-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// `connections` threads, each sending as soon as its previous answer arrived, until `total`
    /// deliveries were sent. `every`/`sample` are called (from a worker) each `every` completions.
    func closedLoop(connections: Int, total: Int, every: Int = 0, sample: @escaping @Sendable (Int) -> Void = { _ in }) -> Result {
        let tally = Tally()
        let start = nanos()
        onThreads(connections) { [self] _ in
            let connection = Connection(port: port)
            var mine = Result()
            while tally.sent.add(1, ordering: .relaxed).oldValue < total {
                let request = self.request()
                let t0 = nanos()
                do {
                    let answer = try connection.roundTrip(request)
                    mine.latencies.append(nanos() - t0)
                    created(answer)
                    mine.statuses[answer.status, default: 0] += 1
                    if answer.status != 202, mine.failures.count < 3 { mine.failures.append(String(decoding: answer.body, as: UTF8.self)) }
                } catch {
                    mine.failures.append("\(error)")
                    mine.statuses[-1, default: 0] += 1
                }
                let done = completed.add(1, ordering: .relaxed).newValue
                if every > 0, done % every == 0 { sample(done) }
            }
            tally.results.withLock { $0.merge(mine) }
        }
        var result = tally.results.withLock { $0 }
        result.seconds = Double(nanos() - start) / 1e9
        return result
    }

    /// Open loop: `rate` deliveries/s for `seconds`, spread over `connections` threads on a fixed
    /// schedule; latency counts from the scheduled send time, so a stalled answer also delays (and
    /// is charged to) the deliveries queued behind it (no coordinated omission).
    /// With `trace`, every delivery's scheduled time, latency and answer go into it (phase `rate`).
    func fixedRate(_ rate: Double, seconds: Double, connections: Int, trace: Trace? = nil) -> Result {
        let tally = Tally()
        let interval = 1e9 / rate
        let start = nanos() + 50_000_000
        let total = Int(rate * seconds)
        onThreads(connections) { [self] thread in
            let connection = Connection(port: port)
            var mine = Result()
            var records: [(due: UInt64, latency: UInt64, status: Int)] = []
            var k = 0
            while true {
                let slot = k * connections + thread
                guard slot < total else { break }
                let due = start + UInt64(Double(slot) * interval)
                let request = self.request()
                sleep(until: due)
                do {
                    let answer = try connection.roundTrip(request)
                    let latency = nanos() - due
                    mine.latencies.append(latency)
                    created(answer)
                    if trace != nil { records.append((due, latency, answer.status)) }
                    mine.statuses[answer.status, default: 0] += 1
                    if answer.status != 202, mine.failures.count < 3 { mine.failures.append(String(decoding: answer.body, as: UTF8.self)) }
                } catch {
                    mine.failures.append("\(error)")
                    mine.statuses[-1, default: 0] += 1
                }
                completed.add(1, ordering: .relaxed)
                k += 1
            }
            trace?.deliveries(String(format: "%.0f", rate), records, connection: thread)
            tally.results.withLock { $0.merge(mine) }
        }
        var result = tally.results.withLock { $0 }
        result.seconds = Double(nanos() - start) / 1e9
        trace?.phase(String(format: "%.0f", rate), start: start, end: nanos())
        return result
    }
}
