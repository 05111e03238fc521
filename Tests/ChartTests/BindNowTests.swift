import Foundation
import TestSupport
import Testing

/// The `codex-k8s` binary binds every dynamic symbol at start-up (`-z now`, Package.swift): with
/// lazy binding, the first call of each library function in the middle of a burst looks it up in
/// every library's hash and string tables and faults those pages back into the operator's RSS
/// after `StartupPages` dropped them (docs/performance.md, "Operator", memory). Checked on the
/// binary this build made (the one the other suites run) and, when given, the release binary.
@Suite struct BindNowTests {
    @Test func theBuiltBinaryBindsEverySymbolAtStartUp() throws {
        #if os(Linux)
        let flags = try ELFDynamicFlags(path: Command.codexK8s)
        #expect(flags.bindNow, "\(Command.codexK8s): no DF_BIND_NOW / DF_1_NOW in the dynamic section")
        #endif
    }

    @Test(.enabled(if: ReleaseBinary.path != nil, "set CODEX_K8S_RELEASE_BINARY (scripts/check-release-binary)"))
    func theReleaseBinaryBindsEverySymbolAtStartUp() throws {
        let binary = try #require(ReleaseBinary.path)
        #expect(try ELFDynamicFlags(path: binary).bindNow)
    }

    @Test func aLazilyBoundBinaryReadsAsLazy() throws {
        // The reader against a binary linked without `-z now`: this test bundle (SwiftPM passes
        // the executable's linker settings to the executable only).
        #if os(Linux)
        let flags = try ELFDynamicFlags(path: CommandLine.arguments[0])
        #expect(!flags.bindNow, "\(CommandLine.arguments[0]) should be lazily bound")
        #endif
    }
}

/// The binding flags of an ELF64 little-endian file's dynamic section (`DT_FLAGS` & `DF_BIND_NOW`,
/// `DT_FLAGS_1` & `DF_1_NOW`), read from its program headers.
struct ELFDynamicFlags {
    var flags: UInt64 = 0
    var flags1: UInt64 = 0

    /// Whether the dynamic linker resolves every symbol before the program runs.
    var bindNow: Bool { flags & 0x8 != 0 || flags1 & 0x1 != 0 }

    struct NotELF64: Error { var path: String }

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(data[at + $1]) << (8 * UInt64($1)) } }
        guard data.count > 64, data.prefix(4) == Data([0x7F, 0x45, 0x4C, 0x46]), data[4] == 2, data[5] == 1 else {
            throw NotELF64(path: path)
        }
        let (phoff, phentsize, phnum) = (Int(u64(32)), u16(54), u16(56))
        for i in 0..<phnum {
            let header = phoff + i * phentsize
            guard u64(header) & 0xFFFF_FFFF == 2 else { continue } // PT_DYNAMIC
            let (offset, size) = (Int(u64(header + 8)), Int(u64(header + 32)))
            for entry in stride(from: offset, to: offset + size, by: 16) {
                switch u64(entry) {
                case 0: return                                  // DT_NULL
                case 30: flags = u64(entry + 8)                 // DT_FLAGS
                case 0x6FFF_FFFB: flags1 = u64(entry + 8)       // DT_FLAGS_1
                default: continue
                }
            }
        }
    }
}
