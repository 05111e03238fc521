#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// This process's resident memory, read from `/proc/self/status` and `/proc/self/smaps` without
/// Foundation (so that measuring adds no libraries to the process being measured).
enum MemoryMap {
    /// Resident memory of the mappings of one file (or one kind of anonymous mapping), in KiB.
    struct Usage {
        var name: String
        /// `Rss`: everything resident in these mappings.
        var rss = 0
        /// `Anonymous`: the part of `rss` that is private copies (a library's relocated and written
        /// data, or the heap) — counted in the process's `RssAnon`; the rest is shared file pages (`RssFile`).
        var anonymous = 0
    }

    /// The lines of a `/proc` file (empty when it cannot be read): `KubeRuntime.ProcFile.lines`, kept
    /// here because this process must link KubeClient and nothing else (its memory is what it measures).
    static func lines(of path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var result: [String] = []
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&buffer, &capacity, file) > 0, let buffer {
            var line = String(cString: buffer)
            if line.hasSuffix("\n") { line.removeLast() }
            result.append(line)
        }
        free(buffer)
        return result
    }

    /// A `Name:   123 kB` field of `/proc/self/status` in KiB (or the plain number for `Threads`); -1 if absent.
    static func status(_ name: String) -> Int {
        for line in lines(of: "/proc/self/status") where line.hasPrefix(name + ":") {
            return Int(String(line.dropFirst(name.count + 1).filter(\.isNumber))) ?? -1
        }
        return -1
    }

    /// Resident memory per mapped file (anonymous mappings grouped as `[anon]`, `[heap]`, `[stack]`),
    /// largest first.
    static func byMapping() -> [Usage] {
        var usage: [String: Usage] = [:]
        var current = "[anon]"
        for line in lines(of: "/proc/self/smaps") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-") && !first.hasSuffix(":") {
                // A mapping header: address perms offset dev inode [path]
                current = fields.count >= 6 ? fields[5...].joined(separator: " ") : "[anon]"
                if current.hasPrefix("[stack") { current = "[stack]" }
                if usage[current] == nil { usage[current] = Usage(name: current) }
                continue
            }
            guard fields.count >= 2, let kib = Int(fields[1]) else { continue }
            switch first {
            case "Rss:": usage[current]?.rss += kib
            case "Anonymous:": usage[current]?.anonymous += kib
            default: break
            }
        }
        return usage.values.filter { $0.rss > 0 }.sorted { $0.rss > $1.rss }
    }
}
