import KubeAPI
import Testing
@testable import KubeRuntime

/// The watcher reads `ListWatchSource.watchBatches`: the events of a batch reach `handle` one by
/// one, in order; an ERROR event inside a batch ends the watch after the events before it (410:
/// relist; another code: a failure) and the rest of the batch is never applied.
@Suite(.timeLimit(.minutes(1))) struct WatcherBatchTests {
    /// A source whose first watch delivers `first` and whose later watches stay open and silent.
    final class Source: ListWatchSource {
        let first: [[WatchEvent<Widget>]]
        let watches = Locked(0)
        let lists = Locked(0)

        init(_ first: [[WatchEvent<Widget>]]) { self.first = first }

        func list(limit: Int, continueToken: String?) async throws -> KubeList<Widget> {
            lists.withLock { $0 += 1 }
            return KubeList(metadata: ListMeta(resourceVersion: "1"), items: [])
        }

        func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent<Widget>, any Error> {
            Issue.record("the watcher reads batches")
            return AsyncThrowingStream { $0.finish() }
        }

        func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
            -> AsyncThrowingStream<[WatchEvent<Widget>], any Error> {
            let n = watches.withLock { $0 += 1; return $0 }
            let (stream, continuation) = AsyncThrowingStream<[WatchEvent<Widget>], any Error>.makeStream()
            if n == 1 { for b in first { continuation.yield(b) } }
            return stream
        }
    }

    static func widget(_ name: String, rv: String) -> Widget {
        var w = Widget(name)
        w.metadata.resourceVersion = rv
        return w
    }

    /// Runs a watcher over `source` and returns what `handle` saw up to the `count`-th entry.
    static func seen(_ source: Source, count: Int) async -> [String] {
        let (events, continuation) = AsyncStream<String>.makeStream()
        let watcher = Watcher(source: source, backoff: Backoff(random: { 0 }), clock: ManualClock(), logger: quietLogger)
        let task = Task {
            await watcher.run { e in
                switch e {
                case .initStarted: continuation.yield("initStarted")
                case .initPage: break
                case .initDone: continuation.yield("initDone")
                case .apply(let w): continuation.yield("apply \(w.metadata.name ?? "")")
                case .delete(let w): continuation.yield("delete \(w.metadata.name ?? "")")
                case .error(let error): continuation.yield("error \(error.kind)")
                }
            }
        }
        defer { task.cancel() }
        var out: [String] = []
        for await e in events {
            out.append(e)
            if out.count == count { break }
        }
        return out
    }

    @Test func aGoneEventInsideABatchRelistsAfterTheEventsBeforeIt() async {
        let gone = Status(message: "too old", reason: "Expired", code: 410)
        let source = Source([[.added(Self.widget("a", rv: "2")), .deleted(Self.widget("b", rv: "3"))],
                             [.modified(Self.widget("a", rv: "4")), .error(gone), .added(Self.widget("c", rv: "5"))]])
        let seen = await Self.seen(source, count: 8)
        #expect(seen == ["initStarted", "initDone", "apply a", "delete b", "apply a", "error gone", "initStarted", "initDone"])
        #expect(source.lists.withLock { $0 } == 2)
    }

    /// Cancelling the watcher's task stops it between two events of a batch: "b" is never handled.
    @Test func cancellationStopsTheWatcherBetweenTheEventsOfABatch() async {
        let source = Source([[.added(Self.widget("a", rv: "2")), .added(Self.widget("b", rv: "3"))]])
        let watcher = Watcher(source: source, backoff: Backoff(random: { 0 }), clock: ManualClock(), logger: quietLogger)
        let handled = Locked<[String]>([])
        let (inA, reachedA) = AsyncStream<Void>.makeStream()
        let task = Task {
            await watcher.run { e in
                guard case .apply(let w) = e else { return }
                handled.withLock { $0.append(w.metadata.name ?? "") }
                if w.metadata.name == "a" {
                    reachedA.yield()
                    // Holds "a" until the task is cancelled (the sleep ends early with it).
                    try? await Task.sleep(for: .seconds(60))
                }
            }
        }
        var it = inA.makeAsyncIterator()
        await it.next()
        task.cancel()
        await task.value
        #expect(handled.withLock { $0 } == ["a"])
    }

    @Test func anotherErrorEventInsideABatchIsAFailureAfterTheEventsBeforeIt() async {
        let forbidden = Status(message: "no", reason: "Forbidden", code: 403)
        let source = Source([[.added(Self.widget("a", rv: "2")), .error(forbidden), .added(Self.widget("c", rv: "5"))]])
        let seen = await Self.seen(source, count: 4)
        #expect(seen == ["initStarted", "initDone", "apply a", "error failed"])
    }
}
