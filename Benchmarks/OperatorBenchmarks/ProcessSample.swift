import Foundation

/// CPU time and memory of a process, from /proc (Linux).
struct ProcessSample {
    /// User + system CPU seconds of every thread so far.
    var cpuSeconds: Double
    /// Resident set (VmRSS) and its anonymous part (RssAnon), KiB.
    var rssKiB: Int
    var rssAnonKiB: Int
    var threads: Int

    static func of(_ pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        func kib(_ key: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(cpuSeconds: (utime + stime) / ticks, rssKiB: kib("VmRSS"), rssAnonKiB: kib("RssAnon"),
                             threads: kib("Threads"))
    }
}
