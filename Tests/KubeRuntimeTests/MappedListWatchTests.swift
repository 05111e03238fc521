import KubeAPI
import Testing
@testable import KubeRuntime

/// `MappedListWatch`: every object of a page and of added/modified/deleted events is mapped;
/// page metadata, bookmarks, errors and the stream's end pass unchanged.
@Suite struct MappedListWatchTests {
    /// A source with one fixed page and one fixed sequence of watch events.
    struct Scripted: ListWatchSource {
        let page: KubeList<Widget>
        let events: [WatchEvent<Widget>]

        func list(limit: Int, continueToken: String?) async throws -> KubeList<Widget> { page }

        func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent<Widget>, any Error> {
            let (stream, continuation) = AsyncThrowingStream<WatchEvent<Widget>, any Error>.makeStream()
            for e in events { continuation.yield(e) }
            continuation.finish()
            return stream
        }
    }

    static func doubled(_ w: Widget) -> Widget {
        var d = w
        d.size *= 2
        return d
    }

    @Test func objectsAreMappedAndEverythingElsePassesThrough() async throws {
        var mark = ObjectMeta()
        mark.resourceVersion = "9"
        let gone = Status(message: "too old", reason: "Expired", code: 410)
        let source = Scripted(
            page: KubeList(apiVersion: "v1", kind: "WidgetList", metadata: ListMeta(resourceVersion: "7", continue: "next"),
                           items: [Widget("a", size: 1), Widget("b", size: 2)]),
            events: [.added(Widget("c", size: 3)), .modified(Widget("c", size: 4)), .bookmark(mark),
                     .deleted(Widget("c", size: 5)), .error(gone)])
        let mapped = MappedListWatch(source, map: Self.doubled)
        let page = try await mapped.list(limit: 10, continueToken: nil)
        #expect(page.items == [Widget("a", size: 2), Widget("b", size: 4)])
        #expect(page.metadata.resourceVersion == "7" && page.metadata.continue == "next")
        #expect(page.apiVersion == "v1" && page.kind == "WidgetList")
        var seen: [String] = []
        for try await event in try await mapped.watch(resourceVersion: "7", timeoutSeconds: 1) {
            switch event {
            case .added(let w): seen.append("added \(w.size)")
            case .modified(let w): seen.append("modified \(w.size)")
            case .deleted(let w): seen.append("deleted \(w.size)")
            case .bookmark(let meta): seen.append("bookmark \(meta.resourceVersion ?? "")")
            case .error(let status): seen.append("error \(status.code ?? 0)")
            }
        }
        #expect(seen == ["added 6", "modified 8", "bookmark 9", "deleted 10", "error 410"])
    }

    /// A source whose watch delivers fixed batches (as `KubeClientListWatch` does).
    struct Batched: ListWatchSource {
        let batches: [[WatchEvent<Widget>]]

        func list(limit: Int, continueToken: String?) async throws -> KubeList<Widget> { KubeList(items: []) }

        func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent<Widget>, any Error> {
            Issue.record("the batch-level watch is used")
            return AsyncThrowingStream { $0.finish() }
        }

        func watchBatches(resourceVersion: String, timeoutSeconds: Int) async throws
            -> AsyncThrowingStream<[WatchEvent<Widget>], any Error> {
            let (stream, continuation) = AsyncThrowingStream<[WatchEvent<Widget>], any Error>.makeStream()
            for b in batches { continuation.yield(b) }
            continuation.finish(throwing: FakeTransportError())
            return stream
        }
    }

    static func sizes(_ batch: [WatchEvent<Widget>]) -> [Int] {
        batch.map { if case .added(let w) = $0 { w.size } else if case .modified(let w) = $0 { w.size } else { -1 } }
    }

    @Test func batchesStayBatchesWithEveryObjectMappedAndTheFailureLast() async throws {
        let mapped = MappedListWatch(Batched(batches: [[.added(Widget("a", size: 1)), .modified(Widget("a", size: 2))],
                                                       [.bookmark(ObjectMeta()), .added(Widget("b", size: 3))]]),
                                     map: Self.doubled)
        var seen: [[Int]] = []
        await #expect(throws: FakeTransportError.self) {
            for try await batch in try await mapped.watchBatches(resourceVersion: "1", timeoutSeconds: 1) {
                seen.append(Self.sizes(batch))
            }
        }
        #expect(seen == [[2, 4], [-1, 6]])
    }

    @Test func theDefaultBatchWatchWrapsEachEventOfASourceWithoutOne() async throws {
        let source = Scripted(page: KubeList(items: []),
                              events: [.added(Widget("a", size: 1)), .modified(Widget("a", size: 2)), .bookmark(ObjectMeta())])
        var seen: [[Int]] = []
        for try await batch in try await MappedListWatch(source, map: Self.doubled).watchBatches(resourceVersion: "1", timeoutSeconds: 1) {
            seen.append(Self.sizes(batch))
        }
        #expect(seen == [[2], [4], [-1]])
    }
}
