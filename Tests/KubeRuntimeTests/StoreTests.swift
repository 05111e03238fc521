import KubeAPI
import Testing
@testable import KubeRuntime

@Suite(.timeLimit(.minutes(1))) struct StoreTests {
    func key(_ n: String) -> ObjectKey { ObjectKey(namespace: "ns", name: n) }

    @Test func relistSwapsAtomicallyAndDropsGhosts() {
        let store = Store<Widget>(indexedLabels: ["tier"])
        #expect(!store.isReady)
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a", labels: ["tier": "x"]), Widget("b")]))
        #expect(store.count == 0 && !store.isReady, "no partial cache before initDone")
        store.apply(.initDone)
        #expect(store.isReady && store.count == 2)
        // A relist: while it is in progress the old state stays visible, whole.
        store.apply(.initStarted)
        store.apply(.initPage([Widget("b", size: 2)]))
        #expect(store.count == 2 && store.get(key("b"))?.size == 0)
        store.apply(.initPage([Widget("c", labels: ["tier": "x"])]))
        let affected = store.apply(.initDone).map(\.metadata.name!).sorted()
        #expect(affected == ["a", "b", "c"], "new keys plus the vanished one")
        #expect(store.get(key("a")) == nil, "a was deleted while unwatched: no ghost")
        #expect(store.get(key("b"))?.size == 2)
        #expect(store.objects(withLabel: "tier", value: "x").map(\.metadata.name!) == ["c"])
        #expect(store.isReady)
    }

    @Test func indexesFollowUpdatesAndDeletes() {
        let owner = OwnerReference(apiVersion: "v1", kind: "Thing", name: "o", uid: "uid-1", controller: true)
        let store = Store<Widget>(indexedLabels: ["tier"])
        store.apply(.initStarted)
        store.apply(.initDone)
        store.apply(.apply(Widget("a", labels: ["tier": "x"], owner: owner)))
        store.apply(.apply(Widget("b", labels: ["tier": "x"])))
        #expect(store.objects(withLabel: "tier", value: "x").count == 2)
        #expect(store.objects(ownedBy: "uid-1").map(\.metadata.name!) == ["a"])
        let affected = store.apply(.apply(Widget("a", labels: ["tier": "y"])))
        #expect(affected.count == 2, "old and new state are both reported")
        #expect(store.objects(withLabel: "tier", value: "x").map(\.metadata.name!) == ["b"])
        #expect(store.objects(withLabel: "tier", value: "y").map(\.metadata.name!) == ["a"])
        #expect(store.objects(ownedBy: "uid-1").isEmpty)
        store.apply(.delete(Widget("b")))
        #expect(store.objects(withLabel: "tier", value: "x").isEmpty)
        #expect(store.count == 1)
    }

    @Test func waitUntilReadyResumesAtFirstList() async {
        let store = Store<Widget>()
        let returned = Locked(false)
        let waiter = Task { await store.waitUntilReady(); returned.withLock { $0 = true } }
        // Act only once the waiter is parked (or has wrongly returned already).
        await yieldUntil { store.readyWaiterCount == 1 || returned.value }
        #expect(!returned.value, "waitUntilReady must not return before the first list")
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a")]))
        #expect(!returned.value && store.readyWaiterCount == 1, "a page alone is not ready")
        store.apply(.initDone)
        await waiter.value
        #expect(store.isReady && store.readyWaiterCount == 0)
        await store.waitUntilReady()
    }

    @Test func waitUntilReadyReturnsWhenCancelled() async {
        let store = Store<Widget>()
        let waiter = Task { await store.waitUntilReady(); return store.isReady }
        await yieldUntil { store.readyWaiterCount == 1 }
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(store.readyWaiterCount == 0, "a cancelled waiter is removed")
    }
}
