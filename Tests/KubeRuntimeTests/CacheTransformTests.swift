import KubeAPI
import KubeClient
import KubeTestServer
import Testing
@testable import KubeRuntime

/// `CacheTransform` (objects slimmed before they are stored) and `Controller.watches(cacheOf:)`
/// (one watch and one cache for two controllers).
@Suite(.timeLimit(.minutes(4))) struct CacheTransformTests {
    /// Drops `size` and every annotation: what a transform of a real kind does with specs.
    static let slim = CacheTransform<Widget>.slimMetadata { w in
        var slim = w
        slim.size = 0
        return slim
    }

    func widget(_ name: String, size: Int, labels: [String: String]? = nil) -> Widget {
        var w = Widget(name, size: size, labels: labels,
                       owner: OwnerReference(apiVersion: "v1", kind: "Thing", name: "o", uid: "uid-\(name)"))
        w.metadata.annotations = ["big": String(repeating: "x", count: 100)]
        w.metadata.finalizers = ["f"]
        w.metadata.uid = "u-\(name)"
        w.metadata.resourceVersion = "7"
        return w
    }

    @Test func everyEventKindIsTransformedBeforeItIsStoredOrReturned() {
        let store = Store<Widget>(indexedLabels: ["tier"], transform: Self.slim)
        store.apply(.initStarted)
        store.apply(.initPage([widget("a", size: 5, labels: ["tier": "x"])]))
        let listed = store.apply(.initDone)
        #expect(listed.map(\.size) == [0], "a relist's objects are transformed")
        let applied = store.apply(.apply(widget("b", size: 9, labels: ["tier": "x"])))
        #expect(applied.map(\.size) == [0])
        let deleted = store.apply(.delete(widget("a", size: 5)))
        #expect(deleted.map(\.size) == [0] && deleted.first?.metadata.annotations == nil, "the last state of a deleted object too")
        let b = store.get(ObjectKey(namespace: "ns", name: "b"))
        #expect(b != nil)
        #expect(b?.size == 0)
        #expect(b?.metadata.annotations == nil && b?.metadata.finalizers == nil, "slimMetadata drops annotations and finalizers")
        #expect(b?.metadata.uid == "u-b" && b?.metadata.resourceVersion == "7" && b?.metadata.labels == ["tier": "x"],
                "and keeps uid, resourceVersion and labels")
        // The indexes are built from the transformed objects (labels and owners are kept).
        #expect(store.objects(withLabel: "tier", value: "x").map(\.metadata.name) == ["b"])
        #expect(store.objects(ownedBy: "uid-b").count == 1)
    }

    @Test func identityKeepsEveryField() {
        let store = Store<Widget>()
        store.apply(.initStarted)
        store.apply(.initPage([widget("a", size: 5)]))
        store.apply(.initDone)
        #expect(store.get(ObjectKey(namespace: "ns", name: "a")) == widget("a", size: 5))
    }

    /// Two controllers over ConfigMaps through one watch: the second queues its own keys (mapped)
    /// for every event of the first's cache, reads the first's (transformed) store, and the server
    /// sees exactly one LIST and one WATCH of configmaps.
    /// An admin client whose requests the server logs with `userAgent`.
    static func client(_ server: KubeTestServer, userAgent: String) -> KubeClient {
        KubeClient(config: KubeClientConfig(server: server.url, credentials: .token(KubeTestServer.adminToken), userAgent: userAgent),
                   retryPolicy: .none, logger: quietLogger)
    }

    @Test func aSecondControllerSharesTheFirstsWatchAndCache() async throws {
        try await TestAPI.withServer { api in
            // One client per controller, told apart by User-Agent in the server's request log.
            let firstClient = Self.client(api.server, userAgent: "first-controller")
            let secondClient = Self.client(api.server, userAgent: "second-controller")
            let dropData = CacheTransform<ConfigMap> { cm in
                var slim = cm
                slim.data = nil
                return slim
            }
            let first = Controller(name: "first", primary: KubeClientListWatch<ConfigMap>(client: firstClient, namespace: "default"),
                                   transform: dropData, backoff: fastBackoff, logger: quietLogger) { _ in .awaitChange }
            let seen = Locked<[String: String]>([:]) // second's key → data size seen in the shared cache
            let progress = AsyncStream<Void>.makeStream()
            let box = Locked<KubeRuntime.Store<ConfigMap>?>(nil)
            // The second controller's primary is a ConfigMap it never gets: only the shared cache feeds it.
            let second = Controller(name: "second",
                                    primary: KubeClientListWatch<ConfigMap>(client: secondClient, namespace: "kube-public",
                                                                            labelSelector: "none=none"),
                                    backoff: fastBackoff, logger: quietLogger) { key in
                let cm = box.value?.get(ObjectKey(namespace: "default", name: String(key.name.dropFirst("for-".count))))
                seen.withLock { $0[key.name] = cm.map { "\($0.data?.count ?? -1)" } ?? "missing" }
                progress.continuation.yield()
                return .awaitChange
            }
            let shared = second.watches(cacheOf: first) { cm in [ObjectKey(namespace: nil, name: "for-\(cm.metadata.name ?? "")")] }
            box.withLock { $0 = shared }
            #expect(shared === first.store)
            _ = try await api.admin.create(ConfigMap("before", data: ["k": "v"]))
            let manager = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { await first.run() }
                    group.addTask { await second.run() }
                }
            }
            defer { manager.cancel() }
            _ = try await api.admin.create(ConfigMap("after", data: ["k": "v"]))
            var it = progress.stream.makeAsyncIterator()
            while seen.value.count < 2, await it.next() != nil {}
            #expect(seen.value == ["for-before": "-1", "for-after": "-1"],
                    "both keys mapped (initial list and watch event); the shared store holds transformed objects")
            // Both keys can come from the initial list alone: wait for the watch that follows it.
            let requests = api.server.requests
            try await within("the WATCH of configmaps in default") {
                await requests.waitFor { $0.verb == "watch" && $0.resource == "configmaps" && $0.namespace == "default" }
            }
            let defaultConfigMaps = api.server.requests.all.filter {
                $0.resource == "configmaps" && $0.namespace == "default" && ($0.verb == "list" || $0.verb == "watch")
            }
            // The shared cache is the first controller's: it lists (once, or again after a failed
            // list on a loaded machine) and watches; the second never asks for these ConfigMaps.
            #expect(defaultConfigMaps.contains { $0.verb == "list" && $0.userAgent == "first-controller" })
            #expect(defaultConfigMaps.allSatisfy { $0.userAgent == "first-controller" },
                    "the second controller listed or watched the shared resource itself: \(defaultConfigMaps)")
            manager.cancel()
            await manager.value
        }
    }

    /// A controller built on another's primary cache reconciles the same keys through its own
    /// queue, and its `run()` keeps running (its caches part has nothing of its own to run).
    @Test func aControllerSharingAPrimaryReconcilesItsKeys() async throws {
        try await TestAPI.withServer { api in
            let client = TestAPI.client(api.server)
            let first = Controller(name: "owner", primary: KubeClientListWatch<ConfigMap>(client: client, namespace: "default"),
                                   backoff: fastBackoff, logger: quietLogger) { _ in .awaitChange }
            let reconciled = AsyncStream<String>.makeStream()
            let second = Controller(name: "sharer", sharingPrimaryOf: first, logger: quietLogger) { key in
                reconciled.continuation.yield(key.name)
                return .awaitChange
            }
            #expect(second.store === first.store)
            let running = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { await first.run() }
                    group.addTask { await second.run() }
                }
            }
            defer { running.cancel() }
            _ = try await api.admin.create(ConfigMap("shared-1"))
            var it = reconciled.stream.makeAsyncIterator()
            var names: Set<String> = []
            while !names.contains("shared-1"), let name = await it.next() { names.insert(name) }
            #expect(names.contains("shared-1"))
            #expect(api.server.requests.count(verb: "list", resource: "configmaps") == 1)
            running.cancel()
            await running.value
        }
    }
}
