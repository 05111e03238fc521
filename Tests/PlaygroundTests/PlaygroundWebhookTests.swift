import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// `codex-k8s dev` with its webhook adapter, driven as a newcomer drives it: `codex-k8s dev
/// deliver …` as a second child process (signed with the secret `dev` wrote), the AgentRun watched
/// with the real kubectl, Ctrl-C (SIGINT) at the end, then every port the playground named is free.
@Suite(.serialized)
struct PlaygroundWebhookTests {
    /// A running `codex-k8s dev` and the ports its banner named.
    struct Playground {
        let child: ChildProcess
        let dir: URL
        let apiserverPort: Int
        let webhookPort: Int
        let metricsPort: Int
        var kubeconfig: String { dir.appendingPathComponent("kubeconfig").path }

        static func start(_ extra: [String] = []) async throws -> Playground {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dev-\(UUID().uuidString.prefix(8))")
            let child = try ChildProcess(PlaygroundTests.binary, ["dev", "--dir", dir.path, "--agent-delay", "3s"] + extra)
            var started = false
            defer { if !started { child.kill() } }
            let ready = try #require(await child.line(containing: "ready"), "no ready line\n\(child.transcript)")
            let metrics = try #require(await child.line(containing: "operator metrics:"), "no metrics line\n\(child.transcript)")
            let api = try #require(port(after: "apiserver https://127.0.0.1:", in: ready), "\(ready)")
            let webhook = try #require(port(after: "webhook http://127.0.0.1:", in: ready), "\(ready)")
            let metricsPort = try #require(port(after: "http://127.0.0.1:", in: metrics), "\(metrics)")
            started = true
            return Playground(child: child, dir: dir, apiserverPort: api, webhookPort: webhook, metricsPort: metricsPort)
        }

        /// `codex-k8s dev deliver ARGS --dir <dir>`: (exit status, stdout).
        func deliver(_ arguments: [String]) async throws -> (Int32, String) {
            try await ChildProcess.output(PlaygroundTests.binary, ["dev", "deliver"] + arguments + ["--dir", dir.path])
        }

        /// Ctrl-C; returns the exit status.
        func interrupt() async -> Int32 {
            child.interrupt()
            return await child.exitStatus() ?? -1
        }

        static func port(after prefix: String, in line: String) -> Int? {
            guard let range = line.range(of: prefix) else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    /// The `run` of the adapter's JSON answer in `HTTP 202 {...}`.
    static func runName(_ answer: String) -> String? {
        guard let brace = answer.firstIndex(of: "{"),
              let json = try? JSONSerialization.jsonObject(with: Data(answer[brace...].utf8)) as? [String: Any] else { return nil }
        return json["run"] as? String
    }

    /// True when nothing listens on 127.0.0.1:`port` (a bind with SO_REUSEADDR succeeds).
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Watches AgentRun `name` with kubectl until it is Succeeded or Failed; the phases seen.
    static func watchPhases(_ name: String, kubeconfig: String) async throws -> [String] {
        try await PlaygroundTests.watchPhases(name, environment: kubectlEnvironment(kubeconfig))
    }

    /// kubectl on the playground, with a discovery cache of its own.
    static func kubectlEnvironment(_ kubeconfig: String) -> [String: String] {
        ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": kubeconfig + ".cache"]
    }

    @Test(.enabled(if: PlaygroundTests.kubectl != nil, "kubectl not found"))
    func aSignedIssuesLabeledDeliveryRunsToSucceededAndCtrlCFreesEveryPort() async throws {
        let playground = try await Playground.start()
        defer {
            playground.child.kill()
            try? FileManager.default.removeItem(at: playground.dir)
        }

        let id = UUID().uuidString.lowercased()
        let (status, answer) = try await playground.deliver(["issues/labeled", "--label", "run:dev", "--issue", "42",
                                                             "--delivery-id", id])
        #expect(status == 0, "\(answer)")
        #expect(answer.hasPrefix("HTTP 202 "), "\(answer)")
        let run = try #require(Self.runName(answer), "no run in \(answer)")

        // The same delivery id again: GitHub's redelivery, deduplicated to the same run.
        let (_, again) = try await playground.deliver(["issues/labeled", "--label", "run:dev", "--issue", "42", "--delivery-id", id])
        #expect(again.hasPrefix("HTTP 200 "), "\(again)")
        #expect(Self.runName(again) == run, "\(again)")

        let phases = try await Self.watchPhases(run, kubeconfig: playground.kubeconfig)
        #expect(phases.last == "Succeeded", "phases seen: \(phases)")
        try await PlaygroundTests.expectWentThroughRunning(run, environment: Self.kubectlEnvironment(playground.kubeconfig))

        // A delivery signed with another secret is refused, and `deliver` says so with exit 1.
        let wrong = playground.dir.appendingPathComponent("wrong-secret")
        try "not-the-secret\n".write(to: wrong, atomically: true, encoding: .utf8)
        let (badStatus, badAnswer) = try await playground.deliver(["issues/labeled", "--label", "run:dev", "--secret-file", wrong.path])
        #expect(badStatus == 1)
        #expect(badAnswer.hasPrefix("HTTP 401 "), "\(badAnswer)")
        // Another repository than the playground's is forbidden by its configuration.
        let (_, forbidden) = try await playground.deliver(["issues/labeled", "--label", "run:dev", "--repo", "someone/else"])
        #expect(forbidden.hasPrefix("HTTP 403 "), "\(forbidden)")

        #expect(await playground.interrupt() == 0, "\(playground.child.transcript)")
        for port in [playground.apiserverPort, playground.webhookPort, playground.metricsPort] {
            #expect(Self.isFree(port), "port \(port) still in use after Ctrl-C")
        }
    }

    static let postgresInstalled: Bool = {
        let fm = FileManager.default
        let debian = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).contains {
            fm.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return debian || path.contains { fm.isExecutableFile(atPath: "\($0)/initdb") }
    }()

    @Test(.enabled(if: PlaygroundTests.kubectl != nil && postgresInstalled, "kubectl or PostgreSQL not installed"))
    func auditLocalStoresTheWebhookAndRunRowsThatEventsShows() async throws {
        let playground = try await Playground.start(["--audit", "local"])
        defer {
            playground.child.kill()
            try? FileManager.default.removeItem(at: playground.dir)
        }
        let urlFile = playground.dir.appendingPathComponent("database-url").path
        let databaseURL = try String(contentsOfFile: urlFile, encoding: .utf8)
        let databasePort = try #require(Playground.port(after: "@127.0.0.1:", in: databaseURL), "\(databaseURL)")

        let (status, answer) = try await playground.deliver(["issues/labeled", "--label", "run:dev", "--issue", "43"])
        #expect(status == 0, "\(answer)")
        let run = try #require(Self.runName(answer), "no run in \(answer)")
        #expect(try await Self.watchPhases(run, kubeconfig: playground.kubeconfig).last == "Succeeded")

        // `codex-k8s events --follow` prints the stored history, then new rows as they come.
        let events = try ChildProcess(PlaygroundTests.binary, ["events", "--follow", "--database-url-file", urlFile])
        defer { events.kill() }
        var seen: Set<String> = []
        _ = await events.line(timeout: .seconds(120)) { line in
            if line.contains("webhook.received") { seen.insert("webhook.received") }
            if line.contains("run.succeeded") && line.contains(run) { seen.insert("run.succeeded") }
            return seen.count == 2
        }
        #expect(seen == ["webhook.received", "run.succeeded"], "\(events.transcript)")
        events.interrupt()
        _ = await events.exitStatus() // bounded: a Ctrl-C that does not stop it fails the test

        // The local PostgreSQL goes with it (stopped, not left to its watchdog).
        #expect(await playground.interrupt() == 0, "\(playground.child.transcript)")
        for port in [playground.apiserverPort, playground.webhookPort, playground.metricsPort, databasePort] {
            #expect(Self.isFree(port), "port \(port) still in use after Ctrl-C")
        }
    }
}
