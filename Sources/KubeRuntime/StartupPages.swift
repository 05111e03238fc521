#if canImport(Glibc)
import Glibc
#endif

/// Unmaps, from this process's page tables, the file pages that only start-up touched, so that
/// the resident set (RSS) shows the steady state (Linux only; elsewhere a no-op).
///
/// Why: RSS counts every page of an executable or shared library mapped into the process, and the
/// kernel maps up to 64 KiB around each page fault. Start-up runs code and reads data that never
/// run again — the dynamic linker's relocations, argument and configuration parsing, the self-check,
/// TLS and libcurl set-up, the first decode of each type — which leaves tens of MiB of file pages
/// counted for the life of the process.
///
/// What it does: `madvise(MADV_DONTNEED)` on every private, read-only (`r-xp`, `r--p`) mapping of
/// the executable (`/proc/self/exe`) or of a shared library the dynamic linker loaded
/// (`dl_iterate_phdr`) that holds no anonymous (copied-on-write) page. The pages stay in the page
/// cache (shared, clean, reclaimable), and the next access maps them back with a minor fault, so
/// nothing is lost and nothing is read from disk again; only the accounting changes. The same holds
/// after a burst of work, which faults in the code of every path it ran: the operator calls it again
/// when it goes quiet (`QuietMemoryRelease`), and what comes back is what the quiet process still
/// runs. Mappings with private copies (relocated read-only data, `.data`), other file mappings and
/// anonymous memory are never touched.
///
/// Safety against concurrent unmapping: `DONTNEED` on memory that another thread mapped anonymously
/// at the same range between the smaps read and the `madvise` would zero live data. So the first
/// call records its candidates (bounds, device, inode, path), and every later call touches only a
/// range that was recorded then *and* is, in its own fresh smaps read, still the same file mapping
/// with the same bounds. Files mapped by anyone else (a test, libcurl, Foundation) are never
/// candidates. What remains: a recorded range unmapped and remapped by someone else between the
/// re-read and the `madvise` (microseconds) — for the executable and loaded libraries that needs a
/// `dlclose`, which this process never does. Libraries loaded after the first call (NSS modules,
/// lazily opened plug-ins) and a mapping whose file was replaced on disk (smaps shows `(deleted)`)
/// are never released.
public enum StartupPages {
    /// A mapping `release()` may drop: its bounds and the file behind it.
    struct Mapping: Hashable {
        var start: UInt
        var end: UInt
        var device: String
        var inode: UInt64
        var path: String
    }

    /// The candidates of the first release; later releases touch only these (nil before it).
    private static let recorded = Locked<Set<Mapping>?>(nil)

    /// Drops the file pages of the executable's and loaded libraries' read-only private mappings;
    /// returns how many KiB were resident in them (0 where /proc is unavailable).
    @discardableResult
    public static func release() -> Int {
        releaseMappings().kib
    }

    /// `release()`, also returning the mappings it dropped.
    static func releaseMappings() -> (mappings: [Mapping], kib: Int) {
        #if canImport(Glibc)
        let current = droppable(smaps: ProcFile.lines(of: "/proc/self/smaps"), files: loadedFiles())
        let targets = recorded.withLock { select(current, recorded: &$0) }
        for t in targets {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: t.mapping.start), Int(t.mapping.end - t.mapping.start),
                        MADV_DONTNEED)
        }
        return (targets.map(\.mapping), targets.reduce(0) { $0 + $1.kib })
        #else
        return ([], 0)
        #endif
    }

    /// Which of the `current` droppable mappings a release may touch: at the first release
    /// (`recorded` nil) all of them, and they become the recorded set; later, only those recorded
    /// then that are still the same mapping (bounds, device, inode, path).
    static func select(_ current: [(mapping: Mapping, kib: Int)],
                       recorded: inout Set<Mapping>?) -> [(mapping: Mapping, kib: Int)] {
        guard let known = recorded else {
            recorded = Set(current.map(\.mapping))
            return current
        }
        return current.filter { known.contains($0.mapping) }
    }

    /// The mappings of an smaps text that are private, read-only, of one of `files` and hold no
    /// private copy of a page — `Anonymous` and `Swap` both present and 0 kB (a relocated page
    /// swapped out shows `Anonymous: 0` but `Swap` > 0, and dropping it would map the unrelocated
    /// file page back) — each with the KiB resident in it. A mapping whose block lacks one of those
    /// fields is not droppable. (`Private_Dirty` is no criterion: it also counts page-cache pages
    /// of a file written recently and not yet written back — a freshly built executable.)
    static func droppable(smaps: [String], files: Set<String>) -> [(mapping: Mapping, kib: Int)] {
        var result: [(mapping: Mapping, kib: Int)] = []
        var candidate: Mapping?
        var rss = 0
        var copies: [Substring: Int] = [:]
        func close() {
            if let c = candidate, ["Anonymous:", "Swap:"].allSatisfy({ copies[Substring($0)] == 0 }) {
                result.append((c, rss))
            }
            candidate = nil
        }
        for line in smaps {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if !first.hasSuffix(":"), first.contains("-") {
                // A header: address perms offset dev inode [path]
                close()
                rss = 0
                copies = [:]
                let bounds = first.split(separator: "-")
                guard fields.count >= 6, fields[5].hasPrefix("/"), fields[1] == "r-xp" || fields[1] == "r--p",
                      bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                      let inode = UInt64(fields[4])
                else { continue }
                let path = fields[5...].joined(separator: " ")
                guard files.contains(path) else { continue }
                candidate = Mapping(start: start, end: end, device: String(fields[3]), inode: inode, path: path)
            } else if first == "Rss:", fields.count >= 2 {
                rss = Int(fields[1]) ?? 0
            } else if first == "Anonymous:" || first == "Swap:", fields.count >= 2 {
                copies[first] = Int(fields[1]) ?? -1
            }
        }
        close()
        return result
    }

    #if canImport(Glibc)
    /// The real paths of the executable and of every object the dynamic linker has loaded.
    static func loadedFiles() -> Set<String> {
        final class Box { var paths: Set<String> = [] }
        let box = Box()
        if let exe = realPath("/proc/self/exe") { box.paths.insert(exe) }
        // dl_iterate_phdr (link.h, not in the Glibc module): looked up at run time. Its info
        // record starts with the load address (a pointer-sized integer), then the name.
        typealias Callback = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32
        typealias Iterate = @convention(c) (Callback, UnsafeMutableRawPointer?) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "dl_iterate_phdr") else { return box.paths }
        let iterate = unsafeBitCast(symbol, to: Iterate.self)
        withExtendedLifetime(box) {
            _ = iterate({ info, _, context in
                guard let info, let context,
                      let name = info.load(fromByteOffset: MemoryLayout<UInt>.size, as: UnsafePointer<CChar>?.self),
                      name.pointee != 0
                else { return 0 }
                let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
                if let path = StartupPages.realPath(String(cString: name)) { box.paths.insert(path) }
                return 0
            }, Unmanaged.passUnretained(box).toOpaque())
        }
        return box.paths
    }

    /// `path` with every symbolic link resolved, or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
    #endif
}
