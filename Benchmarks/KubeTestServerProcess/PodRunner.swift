import KubeAPI
import KubeTestServer

/// Stands in for a kubelet inside the server process: every Job-owned pod matching a label
/// selector goes Running (all containers ready) as soon as it is created, through the store
/// (`FakeKubelet.run`) — no HTTP request, so the request log holds only the clients' requests.
/// Pods stay Running until their Job is deleted.
final class PodRunner: Sendable {
    let server: KubeTestServer
    let filter: WatchFilter?

    init(server: KubeTestServer, selector: String) throws {
        self.server = server
        self.filter = try podFilter(server, selector: selector)
    }

    /// Watches pods until the server stops (the watch ends with it).
    func run() async throws {
        guard let filter else { return }
        let (frames, continuation) = AsyncStream<[UInt8]>.makeStream()
        let sink = FrameSink(continuation)
        _ = try server.store.watch(filter, resourceVersion: nil, sink: sink)
        var started = Set<String>()
        for await frame in frames {
            // Frames are `{"type":…,"object":{…}}\n`; the sink is called under the store's lock, so
            // the store is written only here, outside it.
            guard let event = try? JSONValue(parsing: frame), event["type"]?.stringValue != "DELETED",
                  let pod = event["object"], pod[path: ["status", "phase"]]?.stringValue == "Pending",
                  let namespace = pod[path: ["metadata", "namespace"]]?.stringValue,
                  let name = pod[path: ["metadata", "name"]]?.stringValue,
                  let job = pod[path: ["metadata", "ownerReferences"]]?.arrayValue?
                      .first(where: { $0["kind"]?.stringValue == "Job" })?["name"]?.stringValue,
                  started.insert("\(namespace)/\(name)").inserted else { continue }
            do {
                try server.kubelet.run(job: job, namespace: namespace)
            } catch {
                FileHandleOutput.error("kube-test-server: cannot run pod \(namespace)/\(name): \(error)")
            }
        }
    }

    private final class FrameSink: WatchSink {
        let continuation: AsyncStream<[UInt8]>.Continuation
        init(_ continuation: AsyncStream<[UInt8]>.Continuation) { self.continuation = continuation }
        func send(_ parts: [[UInt8]]) { continuation.yield(Array(parts.joined())) }
        func finish() { continuation.finish() }
    }
}
