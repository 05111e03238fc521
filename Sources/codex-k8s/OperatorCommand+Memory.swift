import Foundation
import KubeRuntime
import Logging
import Operator

/// The operator's allocator settings (docs/performance.md, "Operator", memory).
extension OperatorCommand {
    /// Arenas the operator's malloc may use (`MALLOC_ARENA_MAX` in the environment overrides it).
    static let mallocArenas = 2
    /// How often free heap pages are returned to the kernel after the first sync.
    static let trimPeriod: Duration = .seconds(60)

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
    /// only start-up touched (`StartupPages`) and returns the free heap to the kernel, then trims
    /// again every `trimPeriod` (what a burst of runs freed) until cancelled.
    /// `CODEX_K8S_MALLOC_TRIM=0` turns both off (to measure the difference).
    static func trimMalloc(after runtime: OperatorRuntime, _ leases: NamespaceLeaseRuntime, logger: Logger) async {
        guard ProcessInfo.processInfo.environment["CODEX_K8S_MALLOC_TRIM"] != "0" else { return }
        await runtime.controller.waitForCaches()
        await leases.controller.waitForCaches()
        let released = StartupPages.release()
        logger.info("caches synced; start-up file pages unmapped", metadata: ["kib": "\(released)"])
        while !Task.isCancelled {
            MallocTuning.trim()
            do { try await Task.sleep(for: trimPeriod) } catch { return }
        }
    }
}
