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
        Private_Dirty:         0 kB
        Swap:                  0 kB
        00500000-00600000 r--p 00100000 fe:00 12 /usr/bin/tool
        Rss:                  40 kB
        Anonymous:             8 kB
        Private_Dirty:         8 kB
        Swap:                  0 kB
        00600000-00700000 rw-p 00200000 fe:00 12 /usr/bin/tool
        Rss:                  30 kB
        Anonymous:            30 kB
        Private_Dirty:         0 kB
        Swap:                  0 kB
        00700000-00800000 r--s 00000000 fe:00 13 /dev/shm/x
        Rss:                  20 kB
        Anonymous:             0 kB
        Private_Dirty:         0 kB
        Swap:                  0 kB
        00800000-00900000 r--p 00000000 00:00 0
        Rss:                  10 kB
        Anonymous:            10 kB
        Private_Dirty:         0 kB
        Swap:                  0 kB
        7f0000000000-7f0000100000 r--p 00000000 fe:00 14 /usr/lib/libx.so
        Rss:                  64 kB
        Anonymous:             0 kB
        Private_Dirty:        64 kB
        Swap:                  0 kB
        7f0000200000-7f0000300000 r--p 00000000 fe:00 15 /tmp/data.bin
        Rss:                  32 kB
        Anonymous:             0 kB
        Private_Dirty:         0 kB
        Swap:                  0 kB
        7fff00000000-7fff00002000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB
        Private_Dirty:         0 kB
        Swap:                  0 kB
        7f0000400000-7f0000500000 r--p 00000000 fe:00 14 /usr/lib/libx.so
        Rss:                   0 kB
        Anonymous:             0 kB
        Private_Dirty:         0 kB
        Swap:                  8 kB
        7f0000600000-7f0000700000 r--p 00000000 fe:00 14 /usr/lib/libx.so
        Rss:                  16 kB
        Anonymous:             0 kB
        """.split(separator: "\n").map(String.init)
        let found = StartupPages.droppable(smaps: smaps, files: ["/usr/bin/tool", "/usr/lib/libx.so"])
        #expect(found.map(\.mapping) == [
            StartupPages.Mapping(start: 0x400000, end: 0x500000, device: "fe:00", inode: 12, path: "/usr/bin/tool"),
            StartupPages.Mapping(start: 0x7f0000000000, end: 0x7f0000100000, device: "fe:00", inode: 14,
                                 path: "/usr/lib/libx.so"),
        ], "code and clean read-only data of the program's files; not relocated data (resident or swapped out), a block without the Swap field; Private_Dirty alone (a recently written file) does not count, writable, shared, anonymous, other files or the vDSO")
        #expect(found.reduce(0) { $0 + $1.kib } == 164)
    }

    /// The executable's and a loaded library's mappings are released, and their bytes read back
    /// the same (from the page cache).
    @Test func executableAndLibraryMappingsAreReleasedAndReadBackUnchanged() throws {
        let files = StartupPages.loadedFiles()
        let exe = try #require(StartupPages.realPath("/proc/self/exe"))
        _ = StartupPages.releaseMappings()
        let (mappings, _) = StartupPages.releaseMappings()
        #expect(mappings.contains { $0.path == exe }, "the executable")
        #expect(mappings.contains { $0.path.contains("libswiftCore") }, "a shared library")
        #expect(mappings.allSatisfy { files.contains($0.path) })
        let m = try #require(mappings.first { $0.path.contains("libswiftCore") })
        let base = try #require(UnsafeRawPointer(bitPattern: m.start))
        let size = Int(m.end - m.start)
        let copy = Array(UnsafeRawBufferPointer(start: base, count: size))
        _ = StartupPages.releaseMappings()
        #expect(memcmp(base, copy, size) == 0, "the same bytes come back")
    }

    /// A file the process maps itself is never a candidate, and a range it unmaps and maps again
    /// with anonymous data is never dropped by a later release: the data stays intact.
    @Test func aRangeUnmappedAndReusedByAnonymousMemoryIsNeverTouched() throws {
        // Named like a library on purpose: what counts is what the dynamic linker loaded.
        let path = "/tmp/startup-pages-\(getpid()).so"
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd); unlink(path) }
        let size = 1 << 20
        let bytes = [UInt8](repeating: 0x5a, count: size)
        #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, size) } == size)
        let map = try #require(mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(map != MAP_FAILED, "mmap of the file")
        #expect(memcmp(map, bytes, size) == 0)
        let start = UInt(bitPattern: Int(bitPattern: map))
        let (first, _) = StartupPages.releaseMappings()
        #expect(!first.contains { $0.start == start }, "a file this process mapped itself is not a candidate")

        munmap(map, size)
        let MAP_FIXED_NOREPLACE: Int32 = 0x100000
        let anon = try #require(mmap(map, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                                     -1, 0))
        guard anon != MAP_FAILED, anon == map else {
            // Another test of this process took the range after munmap (or the kernel predates
            // MAP_FIXED_NOREPLACE): the reuse cannot be staged this time.
            if anon != MAP_FAILED { munmap(anon, size) }
            return
        }
        defer { munmap(anon, size) }
        let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 1) }
        data.withUnsafeBytes { _ = memcpy(anon, $0.baseAddress!, size) }
        let (second, _) = StartupPages.releaseMappings()
        #expect(!second.contains { $0.start < start + UInt(size) && start < $0.end })
        #expect(memcmp(anon, data, size) == 0, "the anonymous data is intact")
    }

    /// A later release touches only a range recorded by the first one that is still the same file
    /// mapping with the same bounds.
    @Test func laterReleasesTouchOnlyRecordedUnchangedMappings() {
        func smaps(_ rows: [(String, String, String, String)]) -> [String] {
            rows.flatMap { bounds, dev, inode, path in
                ["\(bounds) r-xp 00000000 \(dev) \(inode) \(path)", "Rss:  16 kB", "Private_Dirty:  0 kB",
                 "Anonymous:  0 kB", "Swap:  0 kB"]
            }
        }
        let files: Set<String> = ["/usr/lib/liba.so", "/usr/lib/libb.so"]
        var recorded: Set<StartupPages.Mapping>?
        let first = StartupPages.select(StartupPages.droppable(
            smaps: smaps([("1000-2000", "fe:00", "5", "/usr/lib/liba.so"), ("3000-4000", "fe:00", "6", "/usr/lib/libb.so")]),
            files: files), recorded: &recorded)
        #expect(first.map(\.mapping.start) == [0x1000, 0x3000], "the first release takes every candidate")
        #expect(recorded?.count == 2, "and records them")
        let later = StartupPages.select(StartupPages.droppable(smaps: smaps([
            ("1000-2000", "fe:00", "5", "/usr/lib/liba.so"),     // unchanged
            ("3000-5000", "fe:00", "6", "/usr/lib/libb.so"),     // other bounds
            ("6000-7000", "fe:00", "5", "/usr/lib/liba.so"),     // not recorded
        ]), files: files), recorded: &recorded)
        #expect(later.map(\.mapping.start) == [0x1000])
        let replaced = StartupPages.select(StartupPages.droppable(
            smaps: smaps([("1000-2000", "fe:00", "9", "/usr/lib/liba.so")]), files: files), recorded: &recorded)
        #expect(replaced.isEmpty, "same bounds and path, another inode")
        #expect(recorded?.count == 2, "later releases do not add to the recorded set")
    }
}
#endif
