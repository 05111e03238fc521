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
        try #require(ready != nil, "no ready line; stderr: \(dev.errorText)")
        let export = await dev.line { $0.contains("export KUBECONFIG=") }
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        #expect(export?.hasSuffix("export KUBECONFIG=\(kubeconfig)") == true, "\(export ?? "no export line")")
        // Its own kubectl discovery cache: a port reused from an earlier test server must not resolve `agentruns` to its groups.
        let env = ["KUBECONFIG": kubeconfig, "KUBECACHEDIR": kubeconfig + ".cache"]

        let example = Self.packageRoot.appendingPathComponent("examples/agentrun.yaml").path
        let applied = try await ChildProcess.output(kubectl, ["apply", "-f", example], environment: env)
        #expect(applied.0 == 0, "kubectl apply: \(applied.1)")
        #expect(applied.1.contains("agentrun.codex-k8s.dev/example-dev-42 created"), "\(applied.1)")

        // A watch (what the README tells the newcomer to run) sees every phase, however brief;
        // --request-timeout is the deadline.
        let watch = try ChildProcess(kubectl, ["-n", "codex-system", "get", "agentruns", "example-dev-42", "-w",
                                               "--request-timeout=180s", "-o", "jsonpath={.status.phase}{\"\\n\"}"],
                                     environment: env)
        defer { watch.kill() }
        var phases: [String] = []
        for await line in watch.lines where phases.last != line {
            phases.append(line)
            if line == "Succeeded" || line == "Failed" { break }
        }
        watch.process.terminate()
        _ = await watch.exitStatus()
        #expect(phases.contains("Running"), "phases seen: \(phases)")
        #expect(phases.last == "Succeeded", "phases seen: \(phases); kubectl: \(watch.errorText)")
        if let running = phases.firstIndex(of: "Running"), let succeeded = phases.firstIndex(of: "Succeeded") {
            #expect(running < succeeded)
        }

        dev.process.interrupt() // SIGINT, as Ctrl-C
        #expect(await dev.exitStatus() == 0, "stderr: \(dev.errorText)")
    }
}
