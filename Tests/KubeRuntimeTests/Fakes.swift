import KubeAPI
import Logging
@testable import KubeRuntime

/// A test resource.
struct Widget: KubeResource, Hashable {
    static let resource = ResourceDescriptor(group: "test.codex-k8s.dev", version: "v1", plural: "widgets",
                                             kind: "Widget", namespaced: true)
    var metadata: ObjectMeta
    var size: Int = 0

    init(_ name: String, namespace: String = "ns", size: Int = 0, labels: [String: String]? = nil,
         owner: OwnerReference? = nil) {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels,
                              ownerReferences: owner.map { [$0] })
        self.size = size
    }
}

/// An in-memory list/watch API for one resource: resource versions, paginated consistent lists,
/// watch history replay from a version, compaction (→ 410), and cuttable streams.
final class FakeListWatch<Object: KubeResource & Hashable>: ListWatchSource {
    struct Stream: Sendable {
        var id: Int
        var continuation: AsyncThrowingStream<WatchEvent<Object>, any Error>.Continuation
    }

    struct State: Sendable {
        var objects: [ObjectKey: Object] = [:]
        var rv = 1
        var history: [(rv: Int, event: WatchEvent<Object>)] = []
        var compactedThrough = 0
        var snapshots: [Int: [Object]] = [:]
        var streams: [Stream] = []
        var nextStream = 0
        var listCalls = 0
        var fullLists = 0
        var watchCalls: [String] = []
        var failNextWatches = 0
        var watchOpened: [(id: Int, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0
    }

    let state = Locked(State())

    func list(limit: Int, continueToken: String?) async throws -> KubeList<Object> {
        try state.withLock { s in
            s.listCalls += 1
            var snapshotRV = s.rv
            var offset = 0
            if let token = continueToken {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                snapshotRV = parts[0]
                offset = parts[1]
                if snapshotRV < s.compactedThrough || s.snapshots[snapshotRV] == nil {
                    throw Status(message: "continue token expired", reason: "Expired", code: 410)
                }
            } else {
                s.fullLists += 1
                s.snapshots[snapshotRV] = s.objects.values.sorted { $0.objectKey! < $1.objectKey! }
            }
            let all = s.snapshots[snapshotRV]!
            let page = Array(all[offset..<min(all.count, offset + limit)])
            let next = offset + limit < all.count ? "\(snapshotRV):\(offset + limit)" : nil
            return KubeList(metadata: ListMeta(resourceVersion: "\(snapshotRV)", continue: next), items: page)
        }
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<Object>, any Error> {
        let from = Int(resourceVersion) ?? 0
        let (stream, continuation) = AsyncThrowingStream<WatchEvent<Object>, any Error>.makeStream()
        let waiters = try state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.watchCalls.append(resourceVersion)
            let waiters = s.watchOpened.filter { $0.count <= s.watchCalls.count }.map(\.continuation)
            s.watchOpened.removeAll { $0.count <= s.watchCalls.count }
            if s.failNextWatches > 0 {
                s.failNextWatches -= 1
                throw FakeTransportError()
            }
            if from < s.compactedThrough {
                continuation.yield(.error(Status(message: "too old resource version", reason: "Expired", code: 410)))
                continuation.finish()
                return waiters
            }
            for (rv, event) in s.history where rv > from { continuation.yield(event) }
            s.nextStream += 1
            let id = s.nextStream
            s.streams.append(Stream(id: id, continuation: continuation))
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { $0.streams.removeAll { $0.id == id } }
            }
            return waiters
        }
        waiters.forEach { $0.resume() }
        return stream
    }

    // MARK: server-side mutations

    @discardableResult
    func upsert(_ object: Object) -> Object {
        var o = object
        state.withLock { s in
            s.rv += 1
            o.metadata.resourceVersion = "\(s.rv)"
            let existed = s.objects[o.objectKey!] != nil
            s.objects[o.objectKey!] = o
            let event: WatchEvent<Object> = existed ? .modified(o) : .added(o)
            s.history.append((s.rv, event))
            for st in s.streams { st.continuation.yield(event) }
        }
        return o
    }

    func delete(_ key: ObjectKey) {
        state.withLock { s in
            guard var o = s.objects.removeValue(forKey: key) else { return }
            s.rv += 1
            o.metadata.resourceVersion = "\(s.rv)"
            s.history.append((s.rv, .deleted(o)))
            for st in s.streams { st.continuation.yield(.deleted(o)) }
        }
    }

    /// Sends a bookmark at the current version to open streams; `advancing` first moves the
    /// version on by that many (as writes to other resources do on a real server), so the bookmark
    /// carries a version newer than any object of this resource.
    func bookmark(advancing: Int = 0) {
        state.withLock { s in
            s.rv += advancing
            var meta = ObjectMeta()
            meta.resourceVersion = "\(s.rv)"
            for st in s.streams { st.continuation.yield(.bookmark(meta)) }
        }
    }

    /// Ends every open watch normally (as the server does at timeoutSeconds).
    func endStreams() {
        let streams = state.withLock { s in let st = s.streams; s.streams = []; return st }
        streams.forEach { $0.continuation.finish() }
    }

    /// Breaks every open watch with `error` (default: a transport error the watcher does not
    /// recognise, so it is backed off as a generic failure).
    func breakStreams(with error: any Error = FakeTransportError()) {
        let streams = state.withLock { s in let st = s.streams; s.streams = []; return st }
        streams.forEach { $0.continuation.finish(throwing: error) }
    }

    /// Forgets history up to now: watches from older versions get 410.
    func compact() {
        state.withLock { s in
            s.compactedThrough = s.rv
            s.history = []
            s.snapshots = [:]
        }
    }

    /// Sends a 410 ERROR event on every open watch and compacts.
    func expireStreams() {
        compact()
        let streams = state.withLock { s in let st = s.streams; s.streams = []; return st }
        for st in streams {
            st.continuation.yield(.error(Status(message: "too old resource version", reason: "Expired", code: 410)))
            st.continuation.finish()
        }
    }

    var objects: [ObjectKey: Object] { state.withLock { $0.objects } }
    var listCalls: Int { state.withLock { $0.listCalls } }
    /// Lists started from the beginning (initial list and relists).
    var fullLists: Int { state.withLock { $0.fullLists } }
    var watchCalls: [String] { state.withLock { $0.watchCalls } }
    var currentRV: Int { state.withLock { $0.rv } }
    var openStreams: Int { state.withLock { $0.streams.count } }

    /// Waits until `watch` has been called at least `count` times in total, or the task is
    /// cancelled (e.g. by the test's time limit).
    func waitForWatchCalls(_ count: Int) async {
        let id = state.withLock { s -> Int in s.nextWaiter += 1; return s.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.watchCalls.count >= count || Task.isCancelled { return true }
                    s.watchOpened.append((id, count, c))
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
                guard let i = s.watchOpened.firstIndex(where: { $0.id == id }) else { return nil }
                return s.watchOpened.remove(at: i).continuation
            }
            c?.resume()
        }
    }
}

struct FakeTransportError: Error, CustomStringConvertible {
    var description: String { "connection reset by peer" }
}

/// Suspends until the calling task is cancelled (AsyncStream iteration is cancellation-aware).
func parkUntilCancelled() async {
    let (stream, continuation) = AsyncStream<Void>.makeStream()
    for await _ in stream {}
    continuation.finish()
}

/// Yields until `condition` holds: for state that code under test changes without a notification
/// (e.g. a waiter registering itself). Bounded by the suite's time limit.
func yieldUntil(_ condition: () -> Bool) async {
    while !condition() { await Task.yield() }
}

/// A logger that stays silent in tests (failures are asserted, not printed).
let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()
