import Testing
@testable import KubeRuntime

#if canImport(Glibc)
import Glibc

/// `StartupPages`: which mappings it drops, and that dropping them loses nothing.
@Suite struct StartupPagesTests {
    @Test func onlyPrivateReadOnlyFileMappingsWithoutCopiesAreDropped() {
        let smaps = """
        00400000-00500000 r-xp 00000000 fe:00 12 /usr/bin/tool
        Rss:                 100 kB
        Anonymous:             0 kB
        00500000-00600000 r--p 00100000 fe:00 12 /usr/bin/tool
        Rss:                  40 kB
        Anonymous:             8 kB
        00600000-00700000 rw-p 00200000 fe:00 12 /usr/bin/tool
        Rss:                  30 kB
        Anonymous:            30 kB
        00700000-00800000 r--s 00000000 fe:00 13 /dev/shm/x
        Rss:                  20 kB
        Anonymous:             0 kB
        00800000-00900000 r--p 00000000 00:00 0
        Rss:                  10 kB
        Anonymous:            10 kB
        7f0000000000-7f0000100000 r--p 00000000 fe:00 14 /usr/lib/libx.so
        Rss:                  64 kB
        Anonymous:             0 kB
        7fff00000000-7fff00002000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB
        """.split(separator: "\n").map(String.init)
        let (mappings, kib) = StartupPages.droppable(smaps: smaps)
        #expect(mappings == [StartupPages.Mapping(start: 0x400000, end: 0x500000),
                             StartupPages.Mapping(start: 0x7f0000000000, end: 0x7f0000100000)],
                "code and clean read-only data of files; not relocated data, writable, shared, anonymous or the vDSO")
        #expect(kib == 164)
    }

    /// A read-only private mapping of a file, read: resident; released: not resident, and its bytes
    /// read back the same (from the page cache).
    @Test func releasedPagesReadBackUnchanged() throws {
        let path = "/tmp/startup-pages-\(getpid())"
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd); unlink(path) }
        let size = 1 << 20
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, size) } == size)
        let map = try #require(mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0))
        defer { munmap(map, size) }
        let view = map.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for i in stride(from: 0, to: size, by: 4096) { sum &+= Int(view[i + 7]) }
        let start = UInt(bitPattern: Int(bitPattern: map))
        func residentKiB() -> Int {
            var inMapping = false
            for line in ProcFile.lines(of: "/proc/self/smaps") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if let first = fields.first, !first.hasSuffix(":"), first.contains("-") {
                    inMapping = UInt(first.split(separator: "-")[0], radix: 16) == start
                } else if inMapping, fields.first == "Rss:" {
                    return Int(fields[1]) ?? -1
                }
            }
            return -1
        }
        #expect(residentKiB() == size / 1024, "every page was read")
        #expect(StartupPages.release() >= size / 1024)
        #expect(residentKiB() == 0, "unmapped from the page tables")
        #expect(memcmp(map, bytes, size) == 0, "and the same bytes come back")
        #expect(sum > 0)
    }
}
#endif
