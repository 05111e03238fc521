import Foundation
import KubeRuntime

/// Where a process's resident memory is, from /proc (Linux): the totals of /proc/PID/status
/// (`VmRSS` = `RssAnon` + `RssFile` + `RssShmem`, and the peak `VmHWM`), the proportional set of
/// /proc/PID/smaps_rollup (`Pss`: shared file pages divided among the processes mapping them), and
/// the resident memory per mapping of /proc/PID/smaps (all mappings of one file summed; anonymous
/// mappings as `[anon]`, `[heap]`, `[stack]`).
///
/// RSS counts every file page mapped into the process — a shared library's code and read-only
/// data as soon as anything near it ran (the kernel maps up to 64 KiB around each page fault) —
/// although those pages are shared and reclaimable; `RssAnon` is the process's own memory.
struct MemoryReport {
    var rssKiB = 0, anonKiB = 0, fileKiB = 0, peakKiB = 0
    var pssKiB = 0, pssAnonKiB = 0, pssFileKiB = 0
    /// (mapping, Rss KiB, Anonymous KiB), largest first.
    var mappings: [(name: String, rss: Int, anon: Int)] = []

    static func of(_ pid: Int32) -> MemoryReport {
        var r = MemoryReport()
        func fields(_ path: String) -> [String: Int] {
            var out: [String: Int] = [:]
            for line in ProcFile.lines(of: path) {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if parts.count >= 2, parts[0].hasSuffix(":"), let v = Int(parts[1]) { out[String(parts[0].dropLast())] = v }
            }
            return out
        }
        let status = fields("/proc/\(pid)/status")
        r.rssKiB = status["VmRSS"] ?? 0
        r.anonKiB = status["RssAnon"] ?? 0
        r.fileKiB = status["RssFile"] ?? 0
        r.peakKiB = status["VmHWM"] ?? 0
        let rollup = fields("/proc/\(pid)/smaps_rollup")
        r.pssKiB = rollup["Pss"] ?? 0
        r.pssAnonKiB = rollup["Pss_Anon"] ?? 0
        r.pssFileKiB = rollup["Pss_File"] ?? 0
        var byName: [String: (Int, Int)] = [:]
        var current = "[anon]"
        for line in ProcFile.lines(of: "/proc/\(pid)/smaps") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = parts.first else { continue }
            if first.contains("-"), !first.hasSuffix(":") {
                current = parts.count >= 6 ? parts[5...].joined(separator: " ") : "[anon]"
                if current.hasPrefix("[stack") { current = "[stack]" }
                current = current.split(separator: "/").last.map(String.init) ?? current
                continue
            }
            guard parts.count >= 2, let kib = Int(parts[1]) else { continue }
            if first == "Rss:" { byName[current, default: (0, 0)].0 += kib }
            if first == "Anonymous:" { byName[current, default: (0, 0)].1 += kib }
        }
        r.mappings = byName.filter { $0.value.0 > 0 }.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.rss > $1.rss }
        return r
    }

    func mib(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }

    /// One line of totals.
    var summary: String {
        "RSS \(mib(rssKiB)) MiB (anon \(mib(anonKiB)), file \(mib(fileKiB)); peak \(mib(peakKiB))), "
            + "PSS \(mib(pssKiB)) MiB (anon \(mib(pssAnonKiB)), file \(mib(pssFileKiB)))"
    }

    /// The `top` largest mappings, one per line: `name rss (anon)`.
    func breakdown(top: Int = 12) -> String {
        mappings.prefix(top).map { "      \($0.name): \(mib($0.rss)) MiB" + ($0.anon > 0 ? " (anon \(mib($0.anon)))" : "") }
            .joined(separator: "\n")
    }
}
