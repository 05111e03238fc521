import TestSupport
import Foundation
import Testing

/// The release binary (built as the Dockerfile builds it, `-Xswiftc -static-stdlib`) needs no
/// shared library outside the runtime image: libcurl, libyaml, libpq, OpenSSL, the C/C++ runtime
/// and what those libraries themselves pull in. Opt-in (a release build is expensive):
/// `scripts/check-release-binary`, which sets CODEX_K8S_RELEASE_BINARY to the binary.
@Suite(.enabled(if: ReleaseBinary.path != nil, "set CODEX_K8S_RELEASE_BINARY (scripts/check-release-binary)"))
struct ReleaseBinaryTests {
    /// Sonames the binary may link directly: the runtime image's packages (libcurl4, libyaml-0-2,
    /// libpq5, libssl3) and the C/C++ runtime every Debian image has.
    static let direct: Set<String> = [
        "libcurl.so.4", "libyaml-0.so.2", "libpq.so.5", "libssl.so.3", "libcrypto.so.3",
        "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2", "libpthread.so.0",
        "librt.so.1", "libutil.so.1", "linux-vdso.so.1",
    ]

    /// `ldd` of a file as soname → resolved path ("" when there is none, e.g. the vDSO).
    static func ldd(_ path: String) async throws -> [String: String] {
        let result = try await Command.run("/usr/bin/ldd", [path])
        #expect(result.status == 0, "ldd \(path): \(result.err)")
        var libraries: [String: String] = [:]
        for line in result.out.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let name = parts.first.map(String.init) else { continue }
            if name.hasPrefix("/") {  // the dynamic loader: "/lib64/ld-linux-x86-64.so.2 (0x...)"
                libraries[URL(fileURLWithPath: name).lastPathComponent] = name
            } else {
                libraries[name] = parts.count > 2 && parts[1] == "=>" ? String(parts[2]) : ""
            }
        }
        return libraries
    }

    @Test func needsOnlyTheRuntimeImageLibraries() async throws {
        let binary = try #require(ReleaseBinary.path)
        let needed = try await Self.ldd(binary)
        #expect(!needed.isEmpty)
        #expect(!needed.keys.contains { $0.hasPrefix("libswift") || $0.hasPrefix("libFoundation") || $0.hasPrefix("lib_Foundation") },
                "the Swift runtime must be linked statically: \(needed.keys.sorted())")
        // What the allowed libraries pull in themselves is allowed too (libcurl's nghttp2, libpq's
        // ldap, ...): those come with the runtime packages.
        var allowed = Self.direct
        for (name, path) in needed where Self.direct.contains(name) && !path.isEmpty {
            allowed.formUnion(try await Self.ldd(path).keys)
        }
        let outside = needed.keys.filter { !allowed.contains($0) && !$0.hasPrefix("ld-linux") }
        #expect(outside.isEmpty, "libraries outside the runtime image: \(outside.sorted())")
    }

    /// `.rodata` is read-only and in a read-only segment (deploy/read-only-data.ld moves the writable
    /// `.rodata` inputs Swift emits to `.data.rel.ro`), so the operator can give its pages back
    /// once quiet (StartupPages drops only read-only mappings).
    @Test func readOnlyDataIsInAReadOnlySegment() throws {
        let layout = try ELFLayout(path: try #require(ReleaseBinary.path))
        let rodata = try #require(layout.sections.first { $0.name == ".rodata" }, "no .rodata section")
        #expect(!rodata.writable, ".rodata is writable: a writable input was merged into it")
        let segment = try #require(layout.load(holding: rodata), "no loadable segment holds .rodata")
        #expect(!segment.writable, ".rodata is in a writable segment")
        let relro = try #require(layout.sections.first { $0.name == ".data.rel.ro" })
        #expect(relro.writable, "the relocated constants' section must stay writable for the loader")
    }
}

/// The binary under test: CODEX_K8S_RELEASE_BINARY, or nil (the suite is then skipped).
enum ReleaseBinary {
    static let path: String? = ProcessInfo.processInfo.environment["CODEX_K8S_RELEASE_BINARY"].flatMap { $0.isEmpty ? nil : $0 }
}
