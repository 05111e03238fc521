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
/// What it does: `madvise(MADV_DONTNEED)` on every private, read-only (`r-xp`, `r--p`) mapping of a
/// file that holds no anonymous (copied-on-write) page. The pages stay in the page cache (shared,
/// clean, reclaimable), and the next access maps them back with a minor fault, so nothing is lost
/// and nothing is read from disk again; only the accounting changes. The same holds after a burst
/// of work, which faults in the code of every path it ran: the operator calls it again when it goes
/// quiet (`QuietMemoryRelease`), and what comes back is what the quiet process still runs. Mappings with private copies
/// (relocated read-only data, `.data`) and anonymous memory are never touched.
public enum StartupPages {
    /// A mapping `release()` may drop.
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
    }

    /// Drops the file pages of this process's read-only private file mappings; returns how many
    /// KiB were resident in them (0 where /proc is unavailable).
    @discardableResult
    public static func release() -> Int {
        #if canImport(Glibc)
        let (mappings, residentKiB) = droppable(smaps: ProcFile.lines(of: "/proc/self/smaps"))
        for m in mappings {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: m.start), Int(m.end - m.start), MADV_DONTNEED)
        }
        return residentKiB
        #else
        return 0
        #endif
    }

    /// The mappings of an smaps text that are private, read-only, file-backed and hold no
    /// anonymous page, and the KiB resident in them.
    static func droppable(smaps: [String]) -> ([Mapping], Int) {
        var result: [Mapping] = []
        var resident = 0
        var candidate: Mapping?
        var rss = 0
        func finish(anonymous: Int) {
            if let c = candidate, anonymous == 0 {
                result.append(c)
                resident += rss
            }
            candidate = nil
        }
        for line in smaps {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if !first.hasSuffix(":"), first.contains("-") {
                // A header: address perms offset dev inode [path]
                candidate = nil
                rss = 0
                let bounds = first.split(separator: "-")
                guard fields.count >= 6, fields[5].hasPrefix("/"), fields[1] == "r-xp" || fields[1] == "r--p",
                      bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
                else { continue }
                candidate = Mapping(start: start, end: end)
            } else if first == "Rss:", fields.count >= 2 {
                rss = Int(fields[1]) ?? 0
            } else if first == "Anonymous:", fields.count >= 2 {
                finish(anonymous: Int(fields[1]) ?? 1)
            }
        }
        return (result, resident)
    }

}
