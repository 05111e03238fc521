import Foundation
import KubeRuntime
import Logging
import Operator

/// The operator's allocator settings (docs/performance.md, "Operator", memory).
extension OperatorCommand {
    /// Arenas the operator's malloc may use (`MALLOC_ARENA_MAX` in the environment overrides it).
    static let mallocArenas = 2
    /// When memory is given back after a burst: the work queues idle for 5 s (sampled every second),
    /// at least 100 keys queued since the last release, at most one release a minute.
    static let quietRelease = QuietRelease(quietFor: .seconds(5), minimumInterval: .seconds(60), minimumWork: 100)
    static let quietSampleTick: Duration = .seconds(1)
    /// How often the free heap goes back regardless (`malloc_trim`; a process that never goes quiet).
    static let trimInterval: Duration = .seconds(60)

    /// Allocations from this size up get an mmap of their own (`MALLOC_MMAP_THRESHOLD_` overrides it).
    static let mmapThreshold = 128 * 1024

    /// Caps the malloc arenas and fixes the mmap threshold; first thing in `run()`, before the
    /// operator's threads allocate.
    static func tuneMalloc(logger: Logger) {
        let environment = ProcessInfo.processInfo.environment
        let arenas = MallocTuning.limitArenas(to: mallocArenas, environment: environment)
        let threshold = MallocTuning.fixMmapThreshold(at: mmapThreshold, environment: environment)
        logger.debug("malloc tuned", metadata: ["arenas": "\(arenas ? "\(mallocArenas)" : "default")",
                                                "mmapThreshold": "\(threshold ? "\(mmapThreshold)" : "default")"])
    }

    /// Waits for the caches' first lists (the allocation peak of a start), unmaps the file pages
    /// only start-up touched (`StartupPages`) and returns the free heap to the kernel; then does
    /// both again whenever the operator goes quiet after a burst of work (`quietRelease` over the
    /// AgentRun and RunNamespace queues, counting work from the start-up release, so the initial
    /// sync is not a burst), and trims the heap alone every `trimInterval` otherwise, until
    /// cancelled. All of it runs on an `OffPoolThread` (smaps and the trim take milliseconds), not
    /// on the two-wide concurrency pool. `CODEX_K8S_MALLOC_TRIM=0` turns all of it off (to measure
    /// the difference).
    static func trimMalloc(after runtime: OperatorRuntime, _ leases: NamespaceLeaseRuntime, logger: Logger) async {
        guard ProcessInfo.processInfo.environment["CODEX_K8S_MALLOC_TRIM"] != "0" else { return }
        await runtime.controller.waitForCaches()
        await leases.controller.waitForCaches()
        let queues = [runtime.controller.queue, leases.controller.queue]
        let clock = SystemRuntimeClock()
        var policy = quietRelease
        policy.released(adds: QuietMemoryRelease.adds(of: queues))
        await OffPoolThread.run(name: "memory-release") {
            let kib = StartupPages.release()
            MallocTuning.trim()
            logger.info("caches synced; start-up file pages unmapped", metadata: ["kib": "\(kib)"])
        }
        await QuietMemoryRelease.run(queues: queues, policy: policy, tick: quietSampleTick, clock: clock,
                                     trimEvery: trimInterval, trim: {
            await OffPoolThread.run(name: "memory-release") { MallocTuning.trim() }
        }) {
            await OffPoolThread.run(name: "memory-release") {
                let kib = StartupPages.release()
                MallocTuning.trim()
                logger.debug("quiet after a burst; file pages unmapped, free heap trimmed", metadata: ["kib": "\(kib)"])
            }
        }
    }
}
