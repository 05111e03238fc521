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

    /// Caps the malloc arenas; first thing in `run()`, before the operator's threads allocate.
    static func tuneMalloc(logger: Logger) {
        let environment = ProcessInfo.processInfo.environment
        if MallocTuning.limitArenas(to: mallocArenas, environment: environment) {
            logger.debug("malloc arenas capped", metadata: ["arenas": "\(mallocArenas)"])
        }
    }

    /// Waits for the caches' first lists (the allocation peak of a start), returns the free heap
    /// to the kernel, then again every `trimPeriod` (what a burst of runs freed) until cancelled.
    /// `CODEX_K8S_MALLOC_TRIM=0` turns it off (to measure the difference).
    static func trimMalloc(after runtime: OperatorRuntime, _ leases: NamespaceLeaseRuntime) async {
        guard ProcessInfo.processInfo.environment["CODEX_K8S_MALLOC_TRIM"] != "0" else { return }
        await runtime.controller.waitForCaches()
        await leases.controller.waitForCaches()
        while !Task.isCancelled {
            MallocTuning.trim()
            do { try await Task.sleep(for: trimPeriod) } catch { return }
        }
    }
}
