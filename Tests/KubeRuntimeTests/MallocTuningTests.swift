import Testing
@testable import KubeRuntime

#if canImport(Glibc)
import Glibc

/// `MallocTuning` reaches glibc's `mallopt` through the dynamic linker and defers to the environment.
@Suite struct MallocTuningTests {
    @Test func theArenaCapIsSetUnlessTheEnvironmentSetsIt() {
        // glibc's own default (8 per core), so this process's allocator behaves as before.
        let arenas = 8 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(MallocTuning.limitArenas(to: arenas, environment: [:]), "mallopt(M_ARENA_MAX) found and accepted")
        #expect(!MallocTuning.limitArenas(to: 1, environment: ["MALLOC_ARENA_MAX": "4"]), "the environment decides")
    }

    @Test func theMmapThresholdIsSetUnlessTheEnvironmentSetsIt() {
        // glibc's largest dynamic threshold (32 MiB): this process allocates as before.
        #expect(MallocTuning.fixMmapThreshold(at: 32 << 20, environment: [:]))
        #expect(!MallocTuning.fixMmapThreshold(at: 128 * 1024, environment: ["MALLOC_MMAP_THRESHOLD_": "65536"]))
    }

    @Test func trimReleasesAFreedHeap() {
        // Many small blocks (below the mmap threshold, so they live in the heap), all freed but the
        // last: their pages are free inside the heap until malloc_trim gives them back.
        let blocks = (0..<20_000).map { _ in malloc(1000) }
        for block in blocks.dropLast() { free(block) }
        #expect(MallocTuning.trim(), "malloc_trim found and released the freed pages")
        free(blocks.last!)
    }
}
#endif
