import Foundation
import KubeAPI
import KubeClient
import Logging

/// Timing and identity of leader election (client-go defaults: 15 s / 10 s / 2 s).
public struct LeaderElectionConfig: Sendable {
    public var namespace: String
    public var name: String
    /// This candidate's identity (e.g. the pod name); must be unique among candidates.
    public var identity: String
    /// How long a Lease stays valid after its last observed renewal.
    public var leaseDuration: Duration = .seconds(15)
    /// A leader that has not renewed for this long gives up leadership.
    public var renewDeadline: Duration = .seconds(10)
    /// Time between attempts; acquire attempts subtract up to `jitter` of it at random.
    public var retryPeriod: Duration = .seconds(2)
    public var jitter: Double = 0.2
    /// Release the Lease when leading ends gracefully (or is cancelled), for immediate failover.
    public var releaseOnStop = true

    public init(namespace: String, name: String, identity: String) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
    }
}

/// Errors that end `LeaderElector.run`.
public enum LeaderElectionError: Error, Equatable, CustomStringConvertible {
    /// The Lease could not be renewed within the renew deadline, or another holder took it.
    case leadershipLost(identity: String)

    public var description: String {
        switch self {
        case .leadershipLost(let id): "\(id) lost leadership"
        }
    }
}

/// Leader election on a `coordination.k8s.io/v1` Lease, following client-go's algorithm:
/// expiry is judged by *this* candidate's monotonic clock from when it last saw the Lease record
/// change (never by comparing wall clocks across machines); writes are optimistic on the Lease's
/// resourceVersion, so two candidates can never both succeed in taking it.
///
/// `run(leading:)` waits until this candidate holds the Lease, then runs `leading` while renewing
/// every `retryPeriod`. If `leading` returns (graceful stop), the Lease is released (holder cleared,
/// duration 1 s) and `run` returns. If renewal fails for `renewDeadline` or another holder appears,
/// `leading` is cancelled and `run` throws `leadershipLost` (the process should exit, as
/// controller-runtime does). Cancelling `run` while leading also releases the Lease.
///
/// The renew deadline is checked after each attempt, so the `LeaseClient` must bound its calls
/// well within `renewDeadline − retryPeriod` (`KubeClientLeaseClient` does: 4 s per call): an
/// attempt that hangs would keep this replica leading past the point where a standby takes over.
public final class LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    private let client: any LeaseClient
    private let clock: any RuntimeClock
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let state = Locked(ElectionState())

    struct ElectionState: Sendable {
        var observed: LeaseSpec?
        /// When the observed record is taken to have been written (see `tryAcquireOrRenew`).
        var observedAt: MonotonicInstant?
        /// The last time this candidate read the Lease successfully.
        var lastRead: MonotonicInstant?
        var leading = false
        var holder: String?
        var reachable = false
    }

    public init(config: LeaderElectionConfig, client: any LeaseClient, clock: any RuntimeClock = SystemRuntimeClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                logger: Logger = Logger(label: "kube-runtime.leader-election")) {
        precondition(config.renewDeadline + config.retryPeriod < config.leaseDuration,
                     "leader election needs renewDeadline + retryPeriod < leaseDuration")
        self.config = config
        self.client = client
        self.clock = clock
        self.random = random
        var logger = logger
        logger[metadataKey: "identity"] = "\(config.identity)"
        self.logger = logger
    }

    /// Whether this candidate currently holds the Lease.
    public var isLeader: Bool { state.value.leading }

    /// Whether the last attempt reached the API and read the Lease (a healthy candidate, leader
    /// or standby).
    public var isHealthy: Bool { state.value.reachable }

    /// The holder this candidate last observed (itself when leading).
    public var observedHolder: String? { state.value.holder }

    public func run(leading: @escaping @Sendable () async throws -> Void) async throws {
        while !Task.isCancelled {
            if case .held = await tryAcquireOrRenew() { break }
            let wait = Duration.scaled(config.retryPeriod, by: 1 - config.jitter * random())
            do { try await clock.suspend(for: wait) } catch { return }
        }
        if Task.isCancelled { return }
        logger.info("became leader of lease \(config.namespace)/\(config.name)")
        enum Outcome: Sendable { case finished, lost, failed(String) }
        let outcome = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do { try await leading(); return .finished } catch { return .failed("\(error)") }
            }
            group.addTask { await self.renewUntilLost() ? .lost : .finished }
            let first = await group.next() ?? .finished
            group.cancelAll()
            return first
        }
        state.withLock { $0.leading = false }
        switch outcome {
        case .lost:
            logger.error("lost leadership of lease \(config.namespace)/\(config.name)")
            throw LeaderElectionError.leadershipLost(identity: config.identity)
        case .finished, .failed:
            if case .failed(let message) = outcome { logger.error("leading work failed: \(message)") }
            if config.releaseOnStop {
                // Unstructured, so a cancelled caller still gets its Lease released.
                await Task { await self.release() }.value
            }
        }
    }

    /// Renews every `retryPeriod`; returns `true` when leadership is lost, `false` if cancelled.
    private func renewUntilLost() async -> Bool {
        var lastRenew = clock.now()
        while true {
            do { try await clock.suspend(for: config.retryPeriod) } catch { return false }
            switch await tryAcquireOrRenew() {
            case .held: lastRenew = clock.now()
            case .heldByOther: return true
            case .failed:
                if clock.now() - lastRenew >= config.renewDeadline { return true }
            }
        }
    }

    enum Attempt: Equatable { case held, heldByOther(String), failed }

    /// One client-go `tryAcquireOrRenew`.
    func tryAcquireOrRenew() async -> Attempt {
        let wall = MicroTime(KubeTime(clock.wallNow(), precision: .micro))
        let seconds = Int32(clamping: config.leaseDuration.components.seconds)
        do {
            guard let existing = try await client.get(namespace: config.namespace, name: config.name) else {
                let lease = Lease(metadata: ObjectMeta(name: config.name, namespace: config.namespace),
                                  spec: LeaseSpec(holderIdentity: config.identity, leaseDurationSeconds: seconds,
                                                  acquireTime: wall, renewTime: wall, leaseTransitions: 0))
                let created = try await client.create(lease)
                observe(created.spec, leading: true)
                return .held
            }
            let spec = existing.spec ?? LeaseSpec()
            let now = clock.now()
            let (observedAt, wasLeading) = state.withLock { s -> (MonotonicInstant, Bool) in
                // A changed record was written after our previous successful read and before now.
                // Dating it at that previous read (the lower bound) lets a standby take over within
                // leaseDuration + retryPeriod of the holder's last renewal; this spends at most one
                // retry period of the leaseDuration − renewDeadline safety margin (see init).
                if s.observed != spec || s.observedAt == nil {
                    s.observed = spec
                    s.observedAt = s.lastRead ?? now
                }
                s.lastRead = now
                s.reachable = true
                s.holder = spec.holderIdentity
                return (s.observedAt!, s.leading)
            }
            let holder = spec.holderIdentity ?? ""
            let duration = Duration.seconds(Int64(spec.leaseDurationSeconds ?? seconds))
            if !holder.isEmpty, holder != config.identity, now - observedAt < duration {
                if wasLeading { state.withLock { $0.leading = false } }
                return .heldByOther(holder)
            }
            var next = existing
            var newSpec = spec
            if holder != config.identity {
                newSpec.acquireTime = wall
                newSpec.leaseTransitions = (spec.leaseTransitions ?? 0) + 1
            }
            newSpec.holderIdentity = config.identity
            newSpec.leaseDurationSeconds = seconds
            newSpec.renewTime = wall
            next.spec = newSpec
            let replaced = try await client.replace(next)
            observe(replaced.spec, leading: true)
            return .held
        } catch {
            logger.debug("lease attempt failed: \(error)")
            state.withLock { $0.reachable = false }
            return .failed
        }
    }

    private func observe(_ spec: LeaseSpec?, leading: Bool) {
        let now = clock.now()
        state.withLock { s in
            s.observed = spec
            s.observedAt = now
            s.lastRead = now
            s.leading = leading
            s.holder = spec?.holderIdentity
            s.reachable = true
        }
    }

    /// A conflict as `KubeError` classifies one, whether KubeClient threw it or a `LeaseClient`
    /// threw the API's `Status`.
    static func isConflict(_ error: any Error) -> Bool {
        if let e = error as? KubeError { return e.isConflict }
        if let s = error as? Status { return KubeError(status: s, httpCode: s.code ?? 0).isConflict }
        return false
    }

    /// Clears the holder so another candidate can take over at once (client-go ReleaseOnCancel).
    func release() async {
        // A renew cancelled by the stop may still reach the server after our read: its update
        // makes our replace a 409. Read again and retry (a few times) rather than leave the Lease
        // held for its full duration.
        for attempt in 1...3 {
            do {
                guard var lease = try await client.get(namespace: config.namespace, name: config.name),
                      lease.spec?.holderIdentity == config.identity else { return }
                let wall = MicroTime(KubeTime(clock.wallNow(), precision: .micro))
                lease.spec?.holderIdentity = nil
                lease.spec?.leaseDurationSeconds = 1
                lease.spec?.renewTime = wall
                lease.spec?.acquireTime = wall
                _ = try await client.replace(lease)
                state.withLock { $0.holder = nil }
                logger.info("released lease \(config.namespace)/\(config.name)")
                return
            } catch where Self.isConflict(error) && attempt < 3 {
                continue
            } catch {
                logger.warning("could not release lease: \(error)")
                return
            }
        }
    }
}
