import ArgumentParser
import Dispatch
import Foundation
import KubeAPI
import KubeTestServer
import LocalCluster

/// `kube-test-server [--port N] [--kubeconfig PATH] [--namespace NS] [--no-install]
/// [--run-pods SELECTOR] [--requests-out FILE] [--ignore-stdin] [--request-log-limit N]`: a KubeTestServer in a process of
/// its own, for benchmarks that must not share a process (CPU, memory, threads) with the client
/// they measure.
///
/// Contract:
/// - Prints exactly one line `ready <url>` on stdout once it serves (the URL the kubeconfig names:
///   HTTPS; the same port speaks plain HTTP too). Errors go to stderr; exit status 1 if it cannot start.
/// - By default the cluster is prepared like `codex-k8s dev`'s (`LocalCluster`: CRDs, agent
///   ClusterRoles, the control namespace, a placeholder credentials Secret); those setup requests
///   are in the request log (user agent `codex-k8s`) until the first `reset`.
/// - Reads commands from stdin, one per line, each answered with one line on stdout:
///   `requests` → `requests {json}` (counts by user agent, verb and resource, see `RequestCounts`);
///   `reset` → `reset` (the log is cleared); `stop` → stops. Stdin EOF or SIGTERM/SIGINT stops too
///   (`--ignore-stdin`: only signals), after writing the final counts to `--requests-out`.
/// - Memory stays bounded however long it runs: the request log keeps only the newest
///   `--request-log-limit` requests (default 10,000; 0: all), while the counts that `requests` and
///   `--requests-out` report are counters over every request since the last `reset`.
@main
struct KubeTestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-test-server", abstract: "Serve an in-memory Kubernetes API server until SIGTERM or stdin EOF.")

    @Option(help: "Port on 127.0.0.1 (0: any free port).")
    var port = 0

    @Option(help: "Where the admin kubeconfig is written.")
    var kubeconfig = "kube-test-server.kubeconfig"

    @Option(help: "The control namespace (the kubeconfig's namespace; created unless --no-install).")
    var namespace = "codex-system"

    @Flag(help: "Do not install the CRDs, agent ClusterRoles, control namespace and credentials Secret.")
    var noInstall = false

    @Option(help: "Run every Job pod matching this label selector as soon as it is created (in-process, no requests).")
    var runPods: String?

    @Option(help: "Write the final request counts (JSON) to this file on exit.")
    var requestsOut: String?

    @Flag(help: "Do not read commands from stdin (stop only on SIGTERM/SIGINT).")
    var ignoreStdin = false

    @Option(help: "How many requests the request log keeps (the newest; 0: all). Counts cover every request.")
    var requestLogLimit = 10_000

    func run() async throws {
        var serverOptions = ServerOptions()
        serverOptions.requestLogLimit = requestLogLimit > 0 ? requestLogLimit : nil
        let cluster: LocalCluster
        do {
            cluster = try await LocalCluster.start(port: port, kubeconfigPath: kubeconfig, controlNamespace: namespace,
                                                   install: !noInstall, options: serverOptions)
        } catch {
            FileHandleOutput.error("kube-test-server: cannot start: \(error)")
            throw ExitCode.failure
        }
        let server = cluster.server
        let runner = try runPods.map { try PodRunner(server: server, selector: $0) }
        let runnerTask = Task { try await runner?.run() }

        let (stops, stop) = AsyncStream<String>.makeStream()
        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.yield("signal \(number)") }
            source.resume()
            return source
        }
        if !ignoreStdin {
            let thread = Thread {
                while let line = readLine() {
                    switch line.trimmingCharacters(in: .whitespaces) {
                    case "requests":
                        FileHandleOutput.say("requests " + String(decoding: RequestCounts.json(server.requests).serialized(), as: UTF8.self))
                    case "reset":
                        server.requests.reset()
                        FileHandleOutput.say("reset")
                    case "stop":
                        stop.yield("stop")
                    case "":
                        continue
                    case let other:
                        FileHandleOutput.say("error unknown command \(other) (requests, reset, stop)")
                    }
                }
                stop.yield("stdin closed")
            }
            thread.start()
        }
        FileHandleOutput.say("ready \(server.httpsURL ?? server.url)")
        for await _ in stops { break }
        if let requestsOut {
            try Data(RequestCounts.json(server.requests).serialized()).write(to: URL(fileURLWithPath: requestsOut))
        }
        runnerTask.cancel()
        try? await server.stop()
        _ = signals
    }
}

/// Unbuffered lines on stdout/stderr (a parent reading a pipe must see them at once).
enum FileHandleOutput {
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    static func error(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
