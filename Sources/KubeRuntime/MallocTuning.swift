#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for a long-running controller process (no-ops where the C library is
/// not glibc: the functions are looked up at run time, so nothing fails to link elsewhere).
///
/// Why: glibc gives each thread that meets contention an arena of its own, up to 8 per core, and
/// memory freed in one arena is never reused by another. A controller's threads (the Swift
/// concurrency pool, NIO, libcurl, Dispatch) all decode and drop objects, so after an initial
/// list of thousands of objects the heap keeps the high-water mark of several arenas, and glibc
/// returns free pages in the middle of an arena to the kernel only on `malloc_trim`.
public enum MallocTuning {
    /// glibc's `M_ARENA_MAX` (malloc.h).
    static let arenaMaxOption: Int32 = -8

    /// Caps the number of malloc arenas (`mallopt(M_ARENA_MAX, count)`), unless the environment
    /// sets `MALLOC_ARENA_MAX` (the person running the process decides then). Call it first thing
    /// in `main`, before threads allocate. Returns whether the cap was set.
    @discardableResult
    public static func limitArenas(to count: Int, environment: [String: String]) -> Bool {
        mallopt(arenaMaxOption, count, unlessSet: "MALLOC_ARENA_MAX", in: environment)
    }

    /// glibc's `M_MMAP_THRESHOLD` (malloc.h).
    static let mmapThresholdOption: Int32 = -3

    /// Serves every allocation of at least `bytes` with its own `mmap`, returned to the kernel by
    /// `free` (`mallopt(M_MMAP_THRESHOLD, bytes)`), unless the environment sets
    /// `MALLOC_MMAP_THRESHOLD_`. By default glibc raises this threshold to the size of each large
    /// block freed (up to 32 MiB), after which response bodies of list pages are carved from the
    /// heap, where they interleave with the cached objects decoded from them and leave holes that
    /// no trim can return. A fixed threshold keeps such transient buffers out of the heap.
    @discardableResult
    public static func fixMmapThreshold(at bytes: Int, environment: [String: String]) -> Bool {
        mallopt(mmapThresholdOption, bytes, unlessSet: "MALLOC_MMAP_THRESHOLD_", in: environment)
    }

    /// `mallopt(option, value)` unless `environment` sets `variable` (glibc's own spelling of that
    /// option, which then decides); whether the option was set.
    private static func mallopt(_ option: Int32, _ value: Int, unlessSet variable: String,
                                in environment: [String: String]) -> Bool {
        guard environment[variable] == nil else { return false }
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let mallopt = symbol("mallopt", as: Mallopt.self) else { return false }
        return mallopt(option, Int32(value)) == 1
        #else
        return false
        #endif
    }

    /// Gives the free memory of every arena back to the kernel (`malloc_trim(0)`: the top of each
    /// heap and every whole free page inside it). Costs a walk of the free lists; call it after a
    /// burst of allocation (an initial list), not on a hot path. Returns whether memory was released.
    @discardableResult
    public static func trim() -> Bool {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let trim = symbol("malloc_trim", as: MallocTrim.self) else { return false }
        return trim(0) == 1
        #else
        return false
        #endif
    }

    #if canImport(Glibc)
    /// A C function of the process (the executable and the libraries it loaded), or nil.
    private static func symbol<F>(_ name: String, as type: F.Type) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }
    #endif
}
