import KubeAPI
import KubeClient
import Testing
@testable import KubeRuntime

/// A watch the server broke by going away (HTTP/2 stream reset or GOAWAY, curl 18 at shutdown) is
/// resumed at once from the last resourceVersion; one that breaks before delivering anything is
/// backed off, quickly and with a low cap while the server is unreachable.
@Suite(.timeLimit(.minutes(1))) struct ServerGoneTests {
    static func start(_ api: FakeListWatch<Widget>, clock: ManualClock)
        -> (Task<Void, Never>, AsyncStream<WatcherEvent<Widget>>.Iterator)
    {
        var configured = Watcher(source: api, watchTimeout: .seconds(3600), backoff: Backoff(random: { 0 }),
                                 clock: clock, logger: quietLogger)
        configured.unreachableBackoff = Backoff(initial: .milliseconds(200), maximum: .milliseconds(1600),
                                                random: { 0 })
        configured.random = { 0.5 }
        let watcher = configured
        let (events, continuation) = AsyncStream<WatcherEvent<Widget>>.makeStream()
        let task = Task { await watcher.run { continuation.yield($0) } }
        return (task, events.makeAsyncIterator())
    }

    static func nextError(_ it: inout AsyncStream<WatcherEvent<Widget>>.Iterator) async -> WatcherError? {
        while let e = await it.next() { if case .error(let failure) = e { return failure } }
        return nil
    }

    @Test(arguments: [
        KubeError.transport(code: 92, message: "HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)"),
        KubeError.transport(code: 18, message: "transfer closed with outstanding read data remaining"),
        KubeError.transport(code: 56, message: "Recv failure: Connection reset by peer"),
    ])
    func aStreamResetAfterEventsIsResumedWithoutBackoff(error: KubeError) async {
        let api = FakeListWatch<Widget>()
        let clock = ManualClock()
        let (task, initial) = Self.start(api, clock: clock)
        var it = initial
        defer { task.cancel() }
        await api.waitForWatchCalls(1)
        api.upsert(Widget("a"))
        while let e = await it.next() { if case .apply = e { break } }

        api.breakStreams(with: error)
        let failure = await Self.nextError(&it)
        #expect(failure?.kind == .serverGone, "\(String(describing: failure))")
        #expect(failure?.retryAfter == .milliseconds(50), "half of the 100 ms jitter, no backoff")
        await clock.waitForSleepers(1, dueWithin: .milliseconds(50))
        clock.advance(by: .milliseconds(50))
        await api.waitForWatchCalls(2)
        #expect(api.watchCalls == ["1", "2"], "resumed from the last resourceVersion seen")
        #expect(api.fullLists == 1, "no relist")

        // Again, right after: each server-gone end is resumed the same way (no growing delay).
        api.upsert(Widget("b"))
        while let e = await it.next() { if case .apply = e { break } }
        api.breakStreams(with: error)
        let again = await Self.nextError(&it)
        #expect(again?.retryAfter == .milliseconds(50))
    }

    @Test func aPeerThatResetsWatchesAtOnceIsStillBackedOff() async {
        let api = FakeListWatch<Widget>()
        let clock = ManualClock()
        let (task, initial) = Self.start(api, clock: clock)
        var it = initial
        defer { task.cancel() }
        var delays: [Duration] = []
        for call in 1...6 {
            await api.waitForWatchCalls(call)
            // Nothing delivered and no time passed: a reset at once is a failure, not an ordinary end.
            api.breakStreams(with: KubeError.transport(code: 18, message: "transfer closed"))
            guard let failure = await Self.nextError(&it) else { break }
            #expect(failure.kind == .failed)
            delays.append(failure.retryAfter)
            await clock.waitForSleepers(1, dueWithin: failure.retryAfter)
            clock.advance(by: failure.retryAfter)
        }
        #expect(delays == [200, 400, 800, 1600, 1600, 1600].map { .milliseconds($0) })
        await api.waitForWatchCalls(7)
        #expect(api.fullLists == 1, "retried from the last resourceVersion, no relist")
    }

    @Test func theBackoffStartsOverOnceAWatchDeliversAnEvent() async {
        let api = FakeListWatch<Widget>()
        let clock = ManualClock()
        let (task, initial) = Self.start(api, clock: clock)
        var it = initial
        defer { task.cancel() }
        for call in 1...3 {
            await api.waitForWatchCalls(call)
            api.breakStreams(with: KubeError.transport(code: 7, message: "Connection refused"))
            guard let failure = await Self.nextError(&it) else { return }
            await clock.waitForSleepers(1, dueWithin: failure.retryAfter)
            clock.advance(by: failure.retryAfter)
        }
        await api.waitForWatchCalls(4)
        api.bookmark(advancing: 1)  // the watch works again
        api.breakStreams(with: KubeError.transport(code: 7, message: "Connection refused"))
        let after = await Self.nextError(&it)
        #expect(after?.retryAfter == .milliseconds(200), "back to the first delay")
    }
}
