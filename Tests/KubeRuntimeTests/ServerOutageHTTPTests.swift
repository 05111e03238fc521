import KubeAPI
import KubeClient
import KubeTestServer
import Testing
@testable import KubeRuntime

/// KubeTestServer's outage fault (`beginOutage`/`endOutage`) seen through KubeClient — the errors
/// libcurl really reports, which the watcher's classification (`WatchFailure.isServerGone`,
/// `isUnreachable`) depends on: an open watch breaks as "server gone", requests while down fail as
/// "unreachable", and after the outage a watch resumes from its resourceVersion with the changes
/// made meanwhile.
@Suite(.timeLimit(.minutes(4)))
struct ServerOutageHTTPTests {
    /// What one watch stream delivered before it ended, and how it ended.
    final class Reading: Sendable {
        let events = Locked([WatchEvent<ConfigMap>]())
        let end = Locked<Result<Void, any Error>?>(nil)
        let pulse = Pulse()
        let task: Task<Void, Never>

        init(_ stream: AsyncThrowingStream<WatchEvent<ConfigMap>, any Error>) {
            let (events, end, pulse) = (events, end, pulse)
            task = Task {
                do {
                    for try await e in stream { events.withLock { $0.append(e) }; pulse.signal() }
                    end.withLock { $0 = .success(()) }
                } catch {
                    end.withLock { $0 = .failure(error) }
                }
                pulse.signal()
            }
        }

        func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
            try await KubeRuntimeTests.waitUntil(what, pulse: pulse, diagnostics: {
                "events \(events.withLock { $0.count }), end \(String(describing: end.withLock { $0 }))"
            }, condition)
        }

        /// The error that ended the stream (nil: still open, or ended cleanly).
        var failure: (any Error)? {
            end.withLock { if case .failure(let e)? = $0 { e } else { nil } }
        }

        var outcome: String { String(describing: end.withLock { $0 }) }

        var names: [String] {
            events.withLock { $0.compactMap { if case .modified(let o) = $0 { o.metadata.name } else { nil } } }
        }
    }

    static func source(_ api: TestAPI) -> KubeClientListWatch<ConfigMap> {
        KubeClientListWatch<ConfigMap>(client: TestAPI.client(api.server), namespace: "default")
    }

    static func curlCode(_ error: (any Error)?) -> Int? {
        if case .transport(let code, _)? = error as? KubeError { code } else { nil }
    }

    /// The error of a list request (nil: it succeeded).
    static func listError(_ api: TestAPI) async -> (any Error)? {
        do {
            _ = try await api.admin.list(ConfigMap.self, namespace: "default")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [OutageStreamEnd.dropped, .midChunk])
    func anOutageBreaksWatchesAsServerGoneAndTheyResumeAfterIt(streams: OutageStreamEnd) async throws {
        try await TestAPI.withServer { api in
            _ = try await api.admin.create(ConfigMap("a", data: ["v": "0"]))
            let start = try await api.admin.list(ConfigMap.self, namespace: "default").metadata.resourceVersion ?? "0"
            let open = Reading(try await Self.source(api).watch(resourceVersion: start, timeoutSeconds: 290))
            defer { open.task.cancel() }
            let seen = try await api.admin.replace(ConfigMap("a", data: ["v": "1"]))
            try await open.waitUntil("the update over the open watch") { open.names == ["a"] }

            await api.server.beginOutage(streams: streams)
            try await open.waitUntil("the watch to break") { open.end.withLock { $0 } != nil }
            let broken = open.failure
            #expect(broken.map(WatchFailure.isServerGone) == true, "a broken watch is server-gone: \(open.outcome)")
            if streams == .midChunk {
                #expect(Self.curlCode(broken) == 18, "ended inside a chunk: curl 18, got \(open.outcome)")
            }

            // While down: requests fail as unreachable; storage keeps working.
            let listed = await Self.listError(api)
            #expect(listed.map(WatchFailure.isUnreachable) == true, "a request while down is unreachable: \(String(describing: listed))")
            let configmaps = try #require(api.server.store.resourceType(group: "", version: "v1", plural: "configmaps"))
            _ = try api.server.store.update(configmaps, namespace: "default", name: "a",
                                            body: ["apiVersion": "v1", "kind": "ConfigMap",
                                                   "metadata": ["name": "a", "namespace": "default"],
                                                   "data": ["v": "down"]])

            // Back: a watch from the last version seen gets the change made while down.
            api.server.endOutage()
            let resumed = Reading(try await Self.source(api).watch(resourceVersion: seen.metadata.resourceVersion ?? "0",
                                                                   timeoutSeconds: 290))
            defer { resumed.task.cancel() }
            try await resumed.waitUntil("the change made while down") { resumed.names == ["a"] }
            let data = resumed.events.withLock { $0.first.flatMap { if case .modified(let o) = $0 { o.data } else { nil } } }
            #expect(data == ["v": "down"])
        }
    }
}
