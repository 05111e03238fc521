import KubeAPI
import Testing
@testable import KubeRuntime

/// `Store.addIndex` / `observe`: indexes agree with the objects through updates, deletes and
/// relists; observers see every change once, with the store already updated.
@Suite(.timeLimit(.minutes(1))) struct StoreIndexTests {
    func key(_ n: String) -> ObjectKey { ObjectKey(namespace: "ns", name: n) }
    func names(_ ws: [Widget]) -> [String] { ws.map(\.metadata.name!).sorted() }

    @Test func keyFunctionIndexFollowsAppliesDeletesAndRelists() {
        let store = Store<Widget>()
        store.addIndex("size") { ["\($0.size)"] }
        store.addIndex("size") { _ in ["ignored"] } // idempotent: the first registration wins
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a", size: 1), Widget("b", size: 1), Widget("c", size: 2)]))
        #expect(store.objects(inIndex: "size", value: "1").isEmpty, "nothing indexed before the list is swapped in")
        store.apply(.initDone)
        #expect(names(store.objects(inIndex: "size", value: "1")) == ["a", "b"])
        #expect(store.counts(inIndex: "size") == ["1": 2, "2": 1])
        #expect(store.counts(inIndex: "size", eachOf: ["2", "9", "1"]) == [1, 0, 2])
        #expect(store.counts(inIndex: "size", values: ["1", "2", "9"]) == ["1": 2, "2": 1, "9": 0],
                "the listed values only, absent ones as 0")
        store.apply(.apply(Widget("a", size: 2)))
        #expect(names(store.objects(inIndex: "size", value: "1")) == ["b"])
        #expect(Set(store.keys(inIndex: "size", value: "2")) == [key("a"), key("c")])
        store.apply(.delete(Widget("b", size: 1)))
        #expect(store.counts(inIndex: "size") == ["2": 2], "an emptied value disappears")
        // A relist that lost c and changed a: the index is rebuilt with the swap.
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a", size: 3), Widget("d", size: 2)]))
        #expect(store.counts(inIndex: "size") == ["2": 2], "the old state stays whole until initDone")
        store.apply(.initDone)
        #expect(store.counts(inIndex: "size") == ["2": 1, "3": 1])
        #expect(store.counts(inIndex: "size", values: ["1", "2", "3"]) == ["1": 0, "2": 1, "3": 1])
        #expect(store.counts(inIndex: "size", eachOf: ["3", "1", "2", "3", "9"]) == [1, 0, 1, 1, 0],
                "by position, in the order asked, repeats and absent values included")
        #expect(store.counts(inIndex: "size", eachOf: []) == [])
        #expect(names(store.objects(inIndex: "size", value: "2")) == ["d"])
        #expect(!store.hasIndex("other") && store.hasIndex("size"))
    }

    @Test func indexAddedLaterCoversCachedObjectsAndMultipleValues() {
        let store = Store<Widget>()
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a", labels: ["x": "1", "y": "2"]), Widget("b", labels: ["y": "2"]), Widget("c")]))
        store.apply(.initDone)
        store.addIndex("labelValues") { Array(($0.metadata.labels ?? [:]).values) }
        #expect(names(store.objects(inIndex: "labelValues", value: "2")) == ["a", "b"])
        #expect(names(store.objects(inIndex: "labelValues", value: "1")) == ["a"])
        store.apply(.apply(Widget("a")))
        #expect(names(store.objects(inIndex: "labelValues", value: "2")) == ["b"])
        #expect(store.objects(inIndex: "labelValues", value: "1").isEmpty)
    }

    @Test func observersSeeEachAffectedKeyOnceWithTheStoreUpdated() {
        let store = Store<Widget>()
        let seen = Locked<[[String]]>([])
        store.observe { keys in
            // The store already shows the change when an observer runs.
            let sizes = keys.map { "\($0.name)=\(store.get($0)?.size ?? -1)" }
            seen.withLock { $0.append(sizes) }
        }
        store.apply(.initStarted)
        store.apply(.initPage([Widget("a", size: 1)]))
        #expect(seen.value.isEmpty, "pages are buffered: nothing changed yet")
        store.apply(.initDone)
        store.apply(.apply(Widget("a", size: 2)))
        store.apply(.delete(Widget("a", size: 2)))
        store.apply(.error(WatcherError(phase: .watch, kind: .failed, message: "cut", retryAfter: .seconds(1))))
        #expect(seen.value == [["a=1"], ["a=2"], ["a=-1"]])
    }
}
