import KubeAPI
import Testing
@testable import KubeRuntime

/// Drives a watcher into a store and lets the test wait for conditions on the events seen.
private final class Harness: Sendable {
    let api: FakeListWatch<Widget>
    let clock: ManualClock
    let store = Store<Widget>(indexedLabels: ["tier"])
    let events: AsyncStream<WatcherEvent<Widget>>
    let task: Task<Void, Never>
    let continuation: AsyncStream<WatcherEvent<Widget>>.Continuation

    init(api: FakeListWatch<Widget> = FakeListWatch(), pageSize: Int = 2, watchTimeout: Duration = .seconds(3600),
         clock: ManualClock = ManualClock()) {
        self.api = api
        self.clock = clock
        let (events, continuation) = AsyncStream<WatcherEvent<Widget>>.makeStream()
        self.events = events
        self.continuation = continuation
        let watcher = Watcher(source: api, pageSize: pageSize, watchTimeout: watchTimeout, idleGrace: .seconds(5),
                              backoff: Backoff(random: { 0 }), clock: clock, logger: quietLogger)
        let store = self.store
        task = Task { await watcher.run { e in store.apply(e); continuation.yield(e) } }
    }

    /// Consumes events until `done` holds (checked after each event).
    func until(_ iterator: inout AsyncStream<WatcherEvent<Widget>>.Iterator,
               _ done: () -> Bool) async -> [WatcherEvent<Widget>] {
        var seen: [WatcherEvent<Widget>] = []
        while !done(), let e = await iterator.next() { seen.append(e) }
        return seen
    }

    func serverState() -> [ObjectKey: Widget] { api.objects }
    func cacheState() -> [ObjectKey: Widget] {
        Dictionary(uniqueKeysWithValues: store.list().map { ($0.objectKey!, $0) })
    }

    deinit { task.cancel() }
}

/// The next `.error` event, skipping others.
private func nextError(_ it: inout AsyncStream<WatcherEvent<Widget>>.Iterator) async -> WatcherError? {
    while let e = await it.next() { if case .error(let error) = e { return error } }
    return nil
}

@Suite(.timeLimit(.minutes(1))) struct WatcherTests {
    @Test func paginatedInitialListThenWatchFromListVersion() async {
        let api = FakeListWatch<Widget>()
        for i in 0..<5 { api.upsert(Widget("w\(i)", size: i)) }
        let h = Harness(api: api, pageSize: 2)
        var it = h.events.makeAsyncIterator()
        var seen: [WatcherEvent<Widget>] = []
        while let e = await it.next() {
            seen.append(e)
            if case .initDone = e { break }
        }
        let pages = seen.filter { if case .initPage = $0 { true } else { false } }
        #expect(pages.count == 3)
        if case .initStarted = seen.first {} else { Issue.record("first event must be initStarted") }
        #expect(h.store.count == 5)
        await api.waitForWatchCalls(1)
        #expect(api.watchCalls == ["6"], "the watch starts at the list's resourceVersion")
        api.upsert(Widget("w9", size: 9))
        _ = await h.until(&it) { h.store.get(ObjectKey(namespace: "ns", name: "w9")) != nil }
        #expect(h.cacheState() == h.serverState())
    }

    @Test func normalStreamEndResumesFromLastSeenVersionIncludingBookmarks() async {
        let api = FakeListWatch<Widget>()
        api.upsert(Widget("a"))
        let h = Harness(api: api)
        var it = h.events.makeAsyncIterator()
        _ = await h.until(&it) { h.store.isReady }
        await api.waitForWatchCalls(1)
        api.upsert(Widget("b"))
        _ = await h.until(&it) { h.store.count == 2 }
        api.upsert(Widget("c")) // rv 4
        _ = await h.until(&it) { h.store.count == 3 }
        // Other resources moved the version on: the bookmark (rv 9) is newer than every widget.
        api.bookmark(advancing: 5)
        // The stream ends right after the bookmark (which the watcher sees first: it is buffered
        // ahead of the end); the watch must resume from the bookmark's version, not from c's.
        api.endStreams()
        await api.waitForWatchCalls(2)
        #expect(api.watchCalls == ["2", "9"])
        #expect(api.fullLists == 1, "a normal end resumes, it does not relist")
        // Nothing is lost by resuming there: a later change still arrives.
        api.upsert(Widget("d"))
        _ = await h.until(&it) { h.store.count == 4 }
        #expect(h.cacheState() == h.serverState())
    }

    @Test func forced410MidStreamRelistsAndCacheEqualsServerWithoutGhosts() async {
        let api = FakeListWatch<Widget>()
        for i in 0..<6 { api.upsert(Widget("w\(i)", labels: ["tier": i % 2 == 0 ? "even" : "odd"])) }
        let h = Harness(api: api, pageSize: 4)
        var it = h.events.makeAsyncIterator()
        _ = await h.until(&it) { h.store.isReady }
        await api.waitForWatchCalls(1)
        // While the watch is broken, objects change, one is deleted, and history is compacted.
        api.breakStreams()
        api.delete(ObjectKey(namespace: "ns", name: "w0"))
        api.upsert(Widget("w1", size: 100, labels: ["tier": "even"]))
        api.upsert(Widget("w7"))
        api.compact()
        await h.clock.waitForSleepers(1, dueWithin: .seconds(1))
        h.clock.advance(by: .seconds(1))
                let seen = await h.until(&it) { api.fullLists == 2 && h.store.count == 6 && h.cacheState() == h.serverState() }
                #expect(seen.contains { if case .error(let e) = $0 { e.kind == .gone } else { false } })
        #expect(h.store.get(ObjectKey(namespace: "ns", name: "w0")) == nil, "no ghost after relist")
        #expect(h.store.objects(withLabel: "tier", value: "even").map(\.metadata.name!).sorted() == ["w1", "w2", "w4"])
        // And a 410 ERROR event on a live stream does the same.
        await api.waitForWatchCalls(3)
                api.delete(ObjectKey(namespace: "ns", name: "w2"))
        _ = await h.until(&it) { h.store.count == 5 }
                api.expireStreams()
        api.upsert(Widget("w8"))
        _ = await h.until(&it) { api.fullLists == 3 && h.cacheState() == h.serverState() }
        #expect(h.cacheState() == h.serverState())
    }

    @Test func cutWatchesRecoverWithNoLostUpdate() async {
        let api = FakeListWatch<Widget>()
        let h = Harness(api: api)
        var it = h.events.makeAsyncIterator()
        _ = await h.until(&it) { h.store.isReady }
        for round in 1...20 {
            await api.waitForWatchCalls(round)
            for i in 0..<5 { api.upsert(Widget("w\(i)", size: round * 10 + i)) }
            if round % 3 == 0 { api.delete(ObjectKey(namespace: "ns", name: "w\(round % 5)")) }
            // Alternate normal ends and transport failures (the latter back off on the clock).
            if round % 2 == 0 { api.endStreams() } else {
                api.breakStreams()
                await h.clock.waitForSleepers(1, dueWithin: .seconds(30))
                h.clock.advance(by: .seconds(30))
            }
        }
        await api.waitForWatchCalls(21)
        api.upsert(Widget("last"))
        _ = await h.until(&it) { h.cacheState() == h.serverState() }
        #expect(h.cacheState() == h.serverState())
        #expect(api.fullLists == 1, "cut watches resume from the last version; no relist needed")
    }

    @Test func watchErrorsAreYieldedAndBackedOffExponentially() async {
        let api = FakeListWatch<Widget>()
        let h = Harness(api: api)
        var it = h.events.makeAsyncIterator()
        _ = await h.until(&it) { h.store.isReady }
        await api.waitForWatchCalls(1)
        api.state.withLock { $0.failNextWatches = 3 }
        api.breakStreams()
        var delays: [Duration] = []
        for _ in 0..<4 {
            guard let e = await nextError(&it) else { Issue.record("expected an error event"); return }
            delays.append(e.retryAfter)
            await h.clock.waitForSleepers(1, dueWithin: e.retryAfter)
            h.clock.advance(by: e.retryAfter)
        }
        #expect(delays == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200), .milliseconds(6400)])
        await api.waitForWatchCalls(5)
        #expect(api.fullLists == 1)
    }

    @Test func silentWatchIsRestartedAfterItsTimeout() async {
        let api = FakeListWatch<Widget>()
        let h = Harness(api: api, watchTimeout: .seconds(60))
        var it = h.events.makeAsyncIterator()
        _ = await h.until(&it) { h.store.isReady }
        await api.waitForWatchCalls(1)
        await h.clock.waitForSleepers(1) // the idle watchdog
        // It sleeps until exactly timeout + grace (65 s) after the watch opened at 0 s.
        #expect(h.clock.deadlines == [MonotonicInstant(sinceOrigin: .seconds(65))])
        h.clock.advance(by: .seconds(64))
        #expect(h.clock.sleeperCount == 1 && api.watchCalls.count == 1, "not idle yet at 64 s of 65 s")
        h.clock.advance(by: .seconds(1))
        guard let e = await nextError(&it) else { Issue.record("expected an idle error"); return }
        #expect(e.kind == .idle)
        await api.waitForWatchCalls(2)
        #expect(api.watchCalls == ["1", "1"])
        #expect(api.openStreams == 1, "the silent stream was closed")
    }
}
