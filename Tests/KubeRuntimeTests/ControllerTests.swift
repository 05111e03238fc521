import KubeAPI
import Testing
@testable import KubeRuntime

/// Records reconciles; the test decides what each returns.
private final class Reconciler: Sendable {
    struct State: Sendable {
        var calls: [ObjectKey] = []
        var failures: [ObjectKey: Int] = [:]
        var actions: [ObjectKey: Action] = [:]
        var seen: [(key: ObjectKey, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    let state = Locked(State())

    func reconcile(_ key: ObjectKey) throws -> Action {
        let (fail, action, ready) = state.withLock { s -> (Bool, Action, [CheckedContinuation<Void, Never>]) in
            s.calls.append(key)
            let n = s.calls.filter { $0 == key }.count
            let ready = s.seen.filter { $0.key == key && $0.count <= n }.map(\.continuation)
            s.seen.removeAll { $0.key == key && $0.count <= n }
            let fail = (s.failures[key] ?? 0) > 0
            if fail { s.failures[key]! -= 1 }
            return (fail, s.actions[key] ?? .awaitChange, ready)
        }
        ready.forEach { $0.resume() }
        if fail { throw FakeTransportError() }
        return action
    }

    /// Waits until `key` has been reconciled `count` times.
    func waitFor(_ key: ObjectKey, count: Int = 1) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.calls.filter({ $0 == key }).count >= count { return true }
                s.seen.append((key, count, c))
                return false
            }
            if done { c.resume() }
        }
    }

    func calls(_ key: ObjectKey) -> Int { state.withLock { s in s.calls.filter { $0 == key }.count } }
}

struct Child: KubeResource, Hashable {
    static let resource = ResourceDescriptor(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap",
                                             namespaced: true)
    var metadata: ObjectMeta
}

@Suite(.timeLimit(.minutes(1))) struct ControllerTests {
    let a = ObjectKey(namespace: "ns", name: "a")

    @Test func reconcilesStartOnlyWhenAllCachesAreReadyAndOwnedChildrenMapToOwner() async {
        let clock = ManualClock()
        let widgets = FakeListWatch<Widget>()
        let children = FakeListWatch<Child>()
        widgets.upsert(Widget("a"))
        let r = Reconciler()
        // Every reconcile records whether all caches were ready when it started.
        let box = Locked<Controller<Widget>?>(nil)
        let readyAtCall = Locked<[Bool]>([])
        let controller = Controller(name: "widgets", primary: widgets, workers: 4, clock: clock, logger: quietLogger) { key in
            readyAtCall.withLock { $0.append(box.value?.cachesReady ?? false) }
            return try r.reconcile(key)
        }
        box.withLock { $0 = controller }
        let childStore = controller.owns(children, clock: clock)
        let run = Task { await controller.run() }
        defer { run.cancel() }
        await widgets.waitForWatchCalls(1)
        await children.waitForWatchCalls(1)
        await r.waitFor(a)
        #expect(childStore.isReady && controller.cachesReady)
        let owner = OwnerReference(apiVersion: "test.codex-k8s.dev/v1", kind: "Widget", name: "a", uid: "u",
                                   controller: true)
        children.upsert(Child(metadata: ObjectMeta(name: "cm", namespace: "ns", ownerReferences: [owner])))
        await r.waitFor(a, count: 2)
        // A child controlled by another kind maps to nothing. A sentinel child sent after it on the
        // same watch proves the stranger's event was handled: keys are queued in event order, so had
        // the stranger been mapped, its key would be processing or done by the sentinel's reconcile.
        let stranger = OwnerReference(apiVersion: "v1", kind: "Pod", name: "zzz", uid: "p", controller: true)
        children.upsert(Child(metadata: ObjectMeta(name: "cm2", namespace: "ns", ownerReferences: [stranger])))
        let sentinelOwner = OwnerReference(apiVersion: "test.codex-k8s.dev/v1", kind: "Widget", name: "sentinel",
                                           uid: "s", controller: true)
        children.upsert(Child(metadata: ObjectMeta(name: "cm3", namespace: "ns", ownerReferences: [sentinelOwner])))
        let sentinel = ObjectKey(namespace: "ns", name: "sentinel")
        let zzz = ObjectKey(namespace: "ns", name: "zzz")
        await r.waitFor(sentinel)
        #expect(r.calls(zzz) == 0 && !controller.queue.isProcessing(zzz), "a stranger's child is not mapped")
        widgets.upsert(Widget("a", size: 3))
        await r.waitFor(a, count: 3)
        #expect(readyAtCall.value.count >= 4 && readyAtCall.value.allSatisfy { $0 },
                "every reconcile started with all caches ready: \(readyAtCall.value)")
        run.cancel()
        await run.value
    }

    @Test func noReconcileBeforeTheFirstListCompletes() async {
        let clock = ManualClock()
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        let children = GatedListWatch<Child>()
        let r = Reconciler()
        let controller = Controller(name: "widgets", primary: widgets, clock: clock, logger: quietLogger) { try r.reconcile($0) }
        let childStore = controller.owns(children, clock: clock)
        let run = Task { await controller.run() }
        defer { run.cancel() }
        await widgets.waitForWatchCalls(1)
        await children.waitUntilListed()
        // The primary list queued a's key. Wait until the workers either block on the secondary
        // cache (correct) or take the key (wrong); whichever happens, it is then settled.
        await yieldUntil { childStore.readyWaiterCount > 0 || controller.queue.depth == 0 }
        #expect(!controller.cachesReady)
        #expect(controller.queue.depth == 1 && r.calls(a) == 0,
                "the primary cache is ready but the secondary is not: the key stays queued")
        children.open()
        await r.waitFor(a)
        run.cancel()
        await run.value
    }

    @Test func requeueAfterIsHonouredAndErrorsBackOffThenReset() async {
        let clock = ManualClock()
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        let r = Reconciler()
        r.state.withLock { $0.failures[a] = 3; $0.actions[a] = .requeue(after: .seconds(300)) }
        let controller = Controller(name: "widgets", primary: widgets, clock: clock,
                                    rateLimiter: PerKeyExponentialRateLimiter(), logger: quietLogger) { try r.reconcile($0) }
        let run = Task { await controller.run() }
        defer { run.cancel() }
        await r.waitFor(a)
        // Three failures: retries after 5, 10, 20 ms.
        for (n, delay) in [(2, 5), (3, 10), (4, 20)] {
            await clock.waitForSleepers(1, dueWithin: .milliseconds(delay))
            #expect(clock.nextDeadline == clock.now() + .milliseconds(delay))
            clock.advance(by: .milliseconds(delay))
            await r.waitFor(a, count: n)
        }
        // The 4th attempt succeeded: backoff forgotten, requeue after exactly 300 s.
        await controller.queue.drain() // the 4th reconcile is done (its requeue is scheduled)
        let requeueAt = clock.now() + .seconds(300)
        #expect(controller.queue.retries(of: a) == 0)
        #expect(controller.queue.delayedCount == 1)
        #expect(controller.queue.withState { $0.timer?.deadline } == requeueAt)
        await clock.waitForSleeper(until: requeueAt)
        // Just before the deadline the timer still sleeps (an earlier one would have been woken).
        clock.advance(by: .seconds(300) - .nanoseconds(1))
        #expect(clock.deadlines.contains(requeueAt) && controller.queue.delayedCount == 1)
        #expect(r.calls(a) == 4 && controller.queue.depth == 0 && !controller.queue.isProcessing(a))
        clock.advance(by: .nanoseconds(1))
        await r.waitFor(a, count: 5)
        #expect(clock.now() == requeueAt)
        run.cancel()
        await run.value
    }

    @Test func errorPolicyDecidesRetries() async {
        let clock = ManualClock()
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        let r = Reconciler()
        r.state.withLock { $0.failures[a] = 1 }
        let controller = Controller(name: "widgets", primary: widgets, clock: clock,
                                    logger: quietLogger, errorPolicy: { _, _, _ in .requeue(after: .seconds(42)) }) { try r.reconcile($0) }
        let run = Task { await controller.run() }
        defer { run.cancel() }
        await r.waitFor(a)
        await clock.waitForSleepers(1, dueWithin: .seconds(42))
        #expect(clock.nextDeadline == clock.now() + .seconds(42))
        clock.advance(by: .seconds(42))
        await r.waitFor(a, count: 2)
        run.cancel()
        await run.value
    }

    @Test func shutDownDrainsInFlightReconciles() async {
        let widgets = FakeListWatch<Widget>()
        widgets.upsert(Widget("a"))
        let gate = Gate()
        let controller = Controller(name: "widgets", primary: widgets, clock: ManualClock(), logger: quietLogger) { _ in
            await gate.enterAndWait()
            return .awaitChange
        }
        let caches = Task { await controller.runCaches() }
        let workers = Task { await controller.runWorkers() }
        await gate.waitUntilEntered()
        controller.shutDown()
        #expect(controller.queue.isProcessing(a))
        gate.open()
        await workers.value
        #expect(!controller.queue.isProcessing(a))
        caches.cancel()
        await caches.value
    }
}

/// A one-shot gate: reconciles block in `enterAndWait` until `open()`.
final class Gate: Sendable {
    struct State: Sendable {
        var open = false
        var entered = false
        var blocked: [CheckedContinuation<Void, Never>] = []
        var enteredWaiters: [CheckedContinuation<Void, Never>] = []
    }
    let state = Locked(State())

    func enterAndWait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let (resume, waiters) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
                s.entered = true
                let w = s.enteredWaiters
                s.enteredWaiters = []
                if s.open { return (true, w) }
                s.blocked.append(c)
                return (false, w)
            }
            waiters.forEach { $0.resume() }
            if resume { c.resume() }
        }
    }

    func waitUntilEntered() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.entered { return true }
                s.enteredWaiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let blocked = state.withLock { s in s.open = true; let b = s.blocked; s.blocked = []; return b }
        blocked.forEach { $0.resume() }
    }
}

/// A source whose first list blocks until `open()`; it then lists nothing and watches forever.
final class GatedListWatch<Object: KubeResource>: ListWatchSource {
    let gate = Gate()
    let streams = Locked<[AsyncThrowingStream<WatchEvent<Object>, any Error>.Continuation]>([])

    func list(limit: Int, continueToken: String?) async throws -> KubeList<Object> {
        await gate.enterAndWait()
        return KubeList(metadata: ListMeta(resourceVersion: "1"), items: [])
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<WatchEvent<Object>, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent<Object>, any Error>.makeStream()
        streams.withLock { $0.append(continuation) }
        return stream
    }

    func waitUntilListed() async { await gate.waitUntilEntered() }
    func open() { gate.open() }
}
