import Foundation
import KubeAPI
import KubeClient
import TestSupport
import Testing

/// `kube-test-server` (Benchmarks/KubeTestServerProcess) as a child process: the ready line, the
/// installed cluster, request counts by user agent, `reset`, the in-process pod runner, and a stop
/// on stdin EOF that writes `--requests-out`.
struct KubeTestServerProcessTests {
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kube-test-server").path
    }

    /// The count of one row of a `requests` answer (0 when absent).
    static func count(_ answer: JSONValue, userAgent: String, verb: String, resource: String, subresource: String? = nil) -> Int {
        let row = answer["requests"]?.arrayValue?.first {
            $0["userAgent"]?.stringValue == userAgent && $0["verb"]?.stringValue == verb
                && $0["resource"]?.stringValue == resource && $0["subresource"]?.stringValue == subresource
        }
        return Int(row?["count"]?.intValue ?? 0)
    }

    static func requests(_ child: ChildProcess) async throws -> JSONValue {
        let line = try #require(await child.command("requests"))
        #expect(line.hasPrefix("requests "), "\(line)")
        return try JSONValue(parsing: String(line.dropFirst("requests ".count)))
    }

    @Test func servesAnInstalledClusterCountsRequestsByClientRunsPodsAndStopsOnStdinEOF() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kts-\(UUID().uuidString.prefix(8))")
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        let out = dir.appendingPathComponent("requests.json").path
        let child = try ChildProcess(Self.binary, ["--kubeconfig", kubeconfig, "--namespace", "codex-bench", "--requests-out", out,
                               "--run-pods", "app=bench"], stdin: true)
        let ready = try #require(await child.line { _ in true })
        #expect(ready.hasPrefix("ready https://127.0.0.1:"), "\(ready)")

        // Installed: the CRDs (user agent codex-k8s), the control namespace, the credentials Secret.
        let setup = try await Self.requests(child)
        #expect(Self.count(setup, userAgent: "codex-k8s", verb: "create", resource: "customresourcedefinitions.apiextensions.k8s.io") >= 2)
        #expect(await child.command("reset") == "reset")

        var config = try KubeClientConfig.fromEnvironment(kubeconfigPath: kubeconfig)
        config.userAgent = "process-test"
        let client = KubeClient(config: config)
        _ = try await client.get(Secret.self, namespace: "codex-bench", name: "codex-agent-credentials")
        let job = Job(metadata: ObjectMeta(name: "j1", namespace: "codex-bench", labels: ["app": "bench"]),
                      spec: JobSpec(template: PodTemplateSpec(
                          metadata: ObjectMeta(labels: ["app": "bench"]),
                          spec: PodSpec(containers: [Container(name: "c", image: "busybox")], restartPolicy: "Never"))))
        let before = try await client.list(Pod.self, namespace: "codex-bench", options: ListOptions(labelSelector: "app=bench"))
        _ = try await client.create(job)
        // The pod runner (in the server process) makes the Job's pod Running without a request.
        var running = false
        for try await event in client.watch(Pod.self, namespace: "codex-bench",
                                            options: WatchOptions(labelSelector: "app=bench", resourceVersion: before.metadata.resourceVersion,
                                                                  timeoutSeconds: 120)) {
            if case .modified(let pod) = event, pod.status?.phase == "Running" {
                running = true
                break
            }
        }
        #expect(running)

        let counts = try await Self.requests(child)
        #expect(Self.count(counts, userAgent: "process-test", verb: "get", resource: "secrets") == 1)
        #expect(Self.count(counts, userAgent: "process-test", verb: "create", resource: "jobs.batch") == 1)
        #expect(Self.count(counts, userAgent: "codex-k8s", verb: "create", resource: "customresourcedefinitions.apiextensions.k8s.io") == 0,
                "reset cleared the setup requests")
        #expect(!(counts["requests"]?.arrayValue ?? []).contains { $0["subresource"]?.stringValue == "status" },
                "the pod runner writes through the store, not over HTTP")

        try child.input?.close() // stdin EOF
        #expect(await child.exitStatus() == 0)
        let final = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        #expect(Self.count(final, userAgent: "process-test", verb: "create", resource: "jobs.batch") == 1)
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func countsCoverEveryRequestWhenTheLogIsBounded() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kts-\(UUID().uuidString.prefix(8))")
        let kubeconfig = dir.appendingPathComponent("kubeconfig").path
        let child = try ChildProcess(Self.binary, ["--kubeconfig", kubeconfig, "--namespace", "codex-bench",
                                                   "--request-log-limit", "1"], stdin: true)
        let ready = try #require(await child.line { _ in true })
        #expect(ready.hasPrefix("ready https://127.0.0.1:"), "\(ready)")
        // The setup made more requests than the log keeps: the counts still hold every one.
        let setup = try await Self.requests(child)
        #expect(Self.count(setup, userAgent: "codex-k8s", verb: "create", resource: "customresourcedefinitions.apiextensions.k8s.io") >= 2)
        #expect(Self.count(setup, userAgent: "codex-k8s", verb: "create", resource: "namespaces") == 1)
        #expect((setup["total"]?.intValue ?? 0) >= 5)
        try child.input?.close()
        #expect(await child.exitStatus() == 0)
        try? FileManager.default.removeItem(at: dir)
    }
}
