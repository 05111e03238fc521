import Foundation

/// Reads this process's `/proc/self/status` fields.
enum ProcessStats {
    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(digits) ?? -1
        }
        return -1
    }

    static var threads: Int { field("Threads") }

    /// CPU time consumed by the calling thread (immune to other processes competing for cores).
    static var threadCPUSeconds: Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    /// Resident set size in KiB.
    static var residentKiB: Int { field("VmRSS") }

    static func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
        sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.2f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
}
