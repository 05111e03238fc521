import Foundation
import KubeAPI
import Runs
import Synchronization
import TestSupport
import Testing // the default source locations of TestSupport's waits
import Webhook

/// (b) The adapter end to end: this process is the load generator; `kube-test-server` and the
/// adapter (`ChildModes.adapter`, a mode of this executable) run as two child processes, all on
/// the same cores.
///
/// Every delivery creates an AgentRun. A janitor (standing in for the operator's clean-up of
/// finished runs, `RunJanitor`) deletes the adapter's AgentRuns — by default in rounds (DELETE
/// collection + a finalizer PATCH per run), with `--janitor paced` one by one a second after each
/// creation — so the stores hold about a second's worth of runs: steady-state numbers. Before
/// each fixed-rate phase the janitor's backlog from the phase before is cleared first.
enum EndToEndBenchmark {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let namespace = "codex-system"
    static let secret = "bench-secret"

    struct Options {
        var connections = 16
        var seconds = 20.0
        var rate = 1000.0
        var memoryDeliveries = 100_000
        /// `kube-test-server` to run; default: the one next to this executable.
        var serverBinary: String?
        /// `--rate 400,700,1000`: the fixed-rate phases, in order (default: `rate`).
        var rates: [Double] = []
        /// Deliveries of the closed-loop phase (default `seconds` × 2,000; 0 skips it).
        var sustained: Int?
        var janitor = JanitorMode.bursts
        /// `--trace FILE`: the fixed-rate phases' deliveries, janitor rounds and CPU samples (`Trace`).
        var trace: String?
    }

    static func run(_ options: Options) async throws {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let serverBinary = options.serverBinary ?? me.deletingLastPathComponent().appendingPathComponent("kube-test-server").path
        guard FileManager.default.isExecutableFile(atPath: serverBinary) else {
            throw Failure(description: "\(serverBinary) is missing: swift build -c release --product kube-test-server")
        }
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-bench-\(getpid()).kubeconfig").path
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        // `kube-test-server` installs the CRDs and the control namespace (LocalCluster, like `codex-k8s dev`).
        let server = try await startServer(serverBinary, ["--port", "0", "--kubeconfig", kubeconfig, "--namespace", namespace, "--ignore-stdin"])
        defer { stop(server.process) }
        let port = try freePort()
        // stdout: the JSON logs (one line per delivery), discarded as a container's stdout would be here.
        let adapter = try ChildProcess(me.path, ["adapter", kubeconfig, String(port)], environment: [ChildModes.secretVariable: secret],
                                       stdoutFile: URL(fileURLWithPath: "/dev/null"))
        defer { stop(adapter) }
        try waitReady(port: port)
        let adapterStats = ProcStats(pid: adapter.pid), serverStats = ProcStats(pid: server.process.pid)
        say("end to end: adapter pid \(adapter.pid) on 127.0.0.1:\(port) (HTTPS to the apiserver), "
            + "kube-test-server pid \(server.process.pid) at \(server.url); load generator pid \(getpid())")

        let trace = options.trace.map { _ in Trace() }
        trace?.sampleCPU(adapter: adapterStats, server: serverStats)
        let serverPort = URLComponents(string: server.url)?.port ?? 0, token = try token(kubeconfig)
        let janitor: any RunJanitor = switch options.janitor {
        case .bursts: BurstJanitor(serverPort: serverPort, token: token, trace: trace)
        case .paced: PacedJanitor(serverPort: serverPort, token: token)
        case .off: NoJanitor()
        }
        janitor.start()
        defer { janitor.stop() }
        say("janitor: \(options.janitor.rawValue)")

        let load = LoadGenerator(port: port, secret: secret, janitor: janitor)
        say("warm-up: " + load.closedLoop(connections: options.connections, total: 3000).summary)

        let total = options.sustained ?? Int(options.seconds * 2000)
        if total > 0 {
            let deleted0 = janitor.deletedCount
            let cpu0 = (adapterStats.cpuSeconds, serverStats.cpuSeconds, ProcStats(pid: getpid()).cpuSeconds)
            let sustained = load.closedLoop(connections: options.connections, total: total)
            let cpu1 = (adapterStats.cpuSeconds, serverStats.cpuSeconds, ProcStats(pid: getpid()).cpuSeconds)
            say("sustained, \(options.connections) connections, closed loop: " + sustained.summary
                + "; runs deleted by the janitor meanwhile \(janitor.deletedCount - deleted0)")
            let n = Double(sustained.count)
            say(String(format: "  CPU per delivery: adapter %.0f µs, KubeTestServer %.0f µs (incl. janitor deletes), load generator %.0f µs; "
                         + "CPU busy %.2f of 2 cores", (cpu1.0 - cpu0.0) / n * 1e6, (cpu1.1 - cpu0.1) / n * 1e6, (cpu1.2 - cpu0.2) / n * 1e6,
                         ((cpu1.0 - cpu0.0) + (cpu1.1 - cpu0.1) + (cpu1.2 - cpu0.2)) / sustained.seconds))
        }

        for rate in options.rates.isEmpty ? [options.rate] : options.rates {
            if options.janitor != .off { settle(janitor, load) }
            let cpu0 = (adapterStats.cpuSeconds, serverStats.cpuSeconds, ProcStats(pid: getpid()).cpuSeconds)
            let fixed = load.fixedRate(rate, seconds: options.seconds, connections: options.connections, trace: trace)
            let cpu1 = (adapterStats.cpuSeconds, serverStats.cpuSeconds, ProcStats(pid: getpid()).cpuSeconds)
            say(String(format: "fixed %.0f/s offered, %d connections: ", rate, options.connections) + fixed.summary)
            let n = Double(fixed.count)
            say(String(format: "  CPU per delivery: adapter %.0f µs, KubeTestServer %.0f µs, load generator %.0f µs",
                       (cpu1.0 - cpu0.0) / n * 1e6, (cpu1.1 - cpu0.1) / n * 1e6, (cpu1.2 - cpu0.2) / n * 1e6))
        }
        if let path = options.trace, let trace {
            try trace.write(to: path)
            say("trace: \(path)")
        }
        guard options.memoryDeliveries > 0 else { return }

        say("memory over \(options.memoryDeliveries) deliveries (adapter RSS, KubeTestServer RSS, runs deleted so far):")
        let start = load.completed.load(ordering: .relaxed)
        say("  0: adapter \(adapterStats.residentKiB / 1024) MiB, server \(serverStats.residentKiB / 1024) MiB")
        let memory = load.closedLoop(connections: options.connections, total: options.memoryDeliveries, every: 10_000) { done in
            say("  \(done - start): adapter \(adapterStats.residentKiB / 1024) MiB, server \(serverStats.residentKiB / 1024) MiB, "
                  + "deleted \(janitor.deletedCount)")
        }
        say("memory run: " + memory.summary)
    }


    /// Waits (at most 60 s) until the janitor has removed every run created so far, so a phase
    /// does not start with the previous phase's backlog of deletions.
    static func settle(_ janitor: any RunJanitor, _ load: LoadGenerator) {
        let deadline = nanos() + 60_000_000_000
        while janitor.deletedCount < load.accepted.load(ordering: .relaxed) && nanos() < deadline { usleep(20_000) }
        let left = load.accepted.load(ordering: .relaxed) - janitor.deletedCount
        if left > 0 { say("janitor: \(left) runs still to delete after 60 s") }
    }

    struct Server {
        var process: ChildProcess
        var url: String
    }

    /// SIGTERM, then SIGKILL if the child has not exited within 5 s (a `kube-test-server` still
    /// closing its connections must not outlive the benchmark and keep its stdout pipe open).
    static func stop(_ process: ChildProcess) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = nanos() + 5_000_000_000
        while process.isRunning && nanos() < deadline { usleep(20_000) }
        if process.isRunning { process.kill() }
    }

    /// Starts `kube-test-server` and reads the URL of its `ready <url>` line.
    static func startServer(_ executable: String, _ arguments: [String]) async throws -> Server {
        let process = try ChildProcess(executable, arguments)
        guard let text = await process.line(where: { _ in true }) else {
            process.kill()
            throw Failure(description: "the server exited before printing its URL\n\(process.transcript)")
        }
        guard let range = text.range(of: #"https?://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            process.kill()
            throw Failure(description: "no URL in the server's first line: \(text)")
        }
        return Server(process: process, url: String(text[range]))
    }

    /// The bearer token of the kubeconfig `kube-test-server` wrote (the janitor speaks plain HTTP).
    static func token(_ kubeconfig: String) throws -> String {
        let text = (try? String(contentsOfFile: kubeconfig, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("token:") { return t.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        }
        throw Failure(description: "no token in \(kubeconfig)")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls `/readyz` until 200 (the adapter's cache has synced and the apiserver answers).
    static func waitReady(port: Int) throws {
        let deadline = nanos() + 120_000_000_000
        let request = Array("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n".utf8)
        while nanos() < deadline {
            if let answer = try? Connection(port: port).roundTrip(request), answer.status == 200 { return }
            usleep(50_000)
        }
        throw Failure(description: "the adapter was not ready within 120 s")
    }
}

extension Array {
    /// `count` slices of about equal size, round robin (fewer when there are fewer elements).
    func chunked(into count: Int) -> [[Element]] {
        var slices = [[Element]](repeating: [], count: Swift.min(count, self.count))
        for (i, e) in enumerated() { slices[i % slices.count].append(e) }
        return slices
    }
}

/// A non-Sendable value handed to exactly one other thread at a time (a `Connection` used by one
/// patch thread of a round; the rounds never overlap).
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
