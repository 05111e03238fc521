import KubeAPI
import Testing
@testable import KubeRuntime

/// A peer that ends every watch at once, without an event, must not make the watcher spin: such a
/// "very short watch" is reported and backed off; a short watch that delivered events is not.
@Suite(.timeLimit(.minutes(1))) struct ShortWatchTests {
    @Test func anEmptyImmediateEndIsBackedOffWhileAnEndAfterEventsResumesAtOnce() async {
        let api = FakeListWatch<Widget>()
        api.upsert(Widget("a"))
        let clock = ManualClock()
        let watcher = Watcher(source: api, watchTimeout: .seconds(3600), backoff: Backoff(random: { 0 }),
                              clock: clock, logger: quietLogger)
        let (events, continuation) = AsyncStream<WatcherEvent<Widget>>.makeStream()
        let task = Task { await watcher.run { continuation.yield($0) } }
        defer { task.cancel() }
        var it = events.makeAsyncIterator()

        // The stream ends at once with nothing on it: an error, and no new watch until the backoff.
        await api.waitForWatchCalls(1)
        api.endStreams()
        var error: WatcherError?
        while error == nil, let e = await it.next() { if case .error(let failure) = e { error = failure } }
        #expect(error?.kind == .failed)
        #expect(error?.message.contains("very short watch") == true, "\(String(describing: error))")
        #expect(error?.retryAfter == .milliseconds(800))
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == MonotonicInstant(sinceOrigin: .milliseconds(800)))
        #expect(api.watchCalls.count == 1, "no re-watch before the backoff")
        clock.advance(by: .milliseconds(800))
        await api.waitForWatchCalls(2)

        // An event arrives, then the stream ends at once: a normal end, resumed without waiting.
        api.upsert(Widget("b"))
        while let e = await it.next() { if case .apply(let w) = e, w.metadata.name == "b" { break } }
        api.endStreams()
        await api.waitForWatchCalls(3)
        #expect(clock.now() == MonotonicInstant(sinceOrigin: .milliseconds(800)), "resumed without the clock moving")
        #expect(api.watchCalls.last == "3")
    }
}
