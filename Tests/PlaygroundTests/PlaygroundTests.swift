import Foundation
import TestSupport
import Testing

/// `codex-k8s dev` as a newcomer runs it: the built binary as a child process, driven with the
/// real kubectl through the kubeconfig it wrote. Needs kubectl on PATH (or in
/// /work/main/tools/bin, tools/bin); skipped without it.
@Suite(.serialized) struct PlaygroundTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("codex-k8s").path
    }

    static let kubectl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map(String.init) + ["/work/main/tools/bin", packageRoot.appendingPathComponent("tools/bin").path]
        return candidates.map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    @Test(.enabled(if: kubectl != nil, "kubectl not found"))
    func aManualRunGoesRunningThenSucceededAndCtrlCStopsCleanly() async throws {
        let kubectl = try #require(Self.kubectl)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dev-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dev = try ChildProcess(Self.binary, ["dev", "--dir", dir.path, "--agent-delay", "15s"])
        defer { dev.kill() }
        let ready = await dev.line { $0.contains("ready") }
        try #require(ready != nil, "no ready line\n\(dev.transcript)")
        let export = await dev.line { $0.contains("export KUBECONFIG=") }
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        #expect(export?.hasSuffix("export KUBECONFIG=\(kubeconfig)") == true, "\(export ?? "no export line")")
        // Its own kubectl discovery cache: a port reused from an earlier test server must not resolve `agentruns` to its groups.
        let env = ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": kubeconfig + ".cache"]

        let example = Self.packageRoot.appendingPathComponent("examples/agentrun.yaml").path
        let applied = try await ChildProcess.output(kubectl, ["apply", "-f", example], environment: env)
        #expect(applied.0 == 0, "kubectl apply: \(applied.1)")
        #expect(applied.1.contains("agentrun.codex-k8s.dev/example-dev-42 created"), "\(applied.1)")

        // The watch the README tells the newcomer to run: it ends at Succeeded.
        let phases = try await Self.watchPhases("example-dev-42", environment: env)
        #expect(phases.last == "Succeeded", "phases seen: \(phases)")
        try await Self.expectWentThroughRunning("example-dev-42", environment: env)
        if let running = phases.firstIndex(of: "Running"), let succeeded = phases.firstIndex(of: "Succeeded") {
            #expect(running < succeeded, "phases seen: \(phases)")
        }

        dev.interrupt() // SIGINT, as Ctrl-C
        #expect(await dev.exitStatus() == 0, "\(dev.transcript)")
    }

    /// That run `name` went through Running, read from what Running leaves behind rather than from a
    /// watch (a kubectl that starts late on a loaded machine may first see the run Succeeded):
    /// `status.startedAt` is written only by the Provisioning → Running transition
    /// (AgentRunReconciler+Lifecycle), and it is not after `finishedAt`.
    static func expectWentThroughRunning(_ name: String, environment: [String: String],
                                         sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let kubectl = try #require(Self.kubectl)
        let (status, out) = try await ChildProcess.output(kubectl, ["-n", "codex-system", "get", "agentrun", name, "-o",
                                                                   "jsonpath={.status.startedAt} {.status.finishedAt}"],
                                                          environment: environment)
        let fields = out.split(separator: " ").map(String.init)
        #expect(status == 0 && fields.count == 2 && fields[0] <= fields[1], "startedAt ≤ finishedAt: \(out)",
                sourceLocation: sourceLocation)
    }

    /// Watches AgentRun `name` with kubectl (`-w`, the phase of each event) until it is Succeeded or
    /// Failed; the distinct phases seen in order. Bounded by kubectl's `--request-timeout` and the
    /// ChildProcess wait.
    static func watchPhases(_ name: String, environment: [String: String]) async throws -> [String] {
        let kubectl = try #require(Self.kubectl)
        let watch = try ChildProcess(kubectl, ["-n", "codex-system", "get", "agentruns", name, "-w", "--request-timeout=180s",
                                               "-o", "jsonpath={.status.phase}{\"\\n\"}"], environment: environment)
        defer { watch.kill() }
        var phases: [String] = []
        let end = await watch.line(timeout: .seconds(240)) { line in
            if phases.last != line { phases.append(line) }
            return line == "Succeeded" || line == "Failed"
        }
        #expect(end != nil, "the watch ended before Succeeded or Failed; phases seen: \(phases)\n\(watch.transcript)")
        watch.terminate()
        _ = await watch.exitStatus()
        return phases
    }
}
