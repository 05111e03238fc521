import Foundation
import TestSupport
import Testing

/// The image's runtime stage (Dockerfile) binds every dynamic symbol at start-up
/// (`LD_BIND_NOW=1`; docs/performance.md, "Operator", memory), and the binary starts that way:
/// with eager binding a symbol no library defines fails the start instead of a later call.
@Suite struct DockerfileTests {
    /// A file of the repository, as text.
    static func read(_ path: String) throws -> String {
        try String(contentsOf: Helm.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The lines of the Dockerfile's last stage (after its last `FROM`).
    static func runtimeStage() throws -> [Substring] {
        let lines = try read("Dockerfile").split(separator: "\n")
        let last = try #require(lines.lastIndex { $0.hasPrefix("FROM ") })
        return Array(lines[last...])
    }

    @Test func theRuntimeStageBindsEverySymbolAtStartUp() throws {
        let stage = try Self.runtimeStage()
        #expect(stage.contains { $0.trimmingCharacters(in: .whitespaces) == "ENV LD_BIND_NOW=1" }, "\(stage)")
    }

    /// The build stage builds with scripts/build-release, whose symbol order file exists and names
    /// functions the way the linker sees them (mangled Swift symbols, not demangled text).
    @Test func theBuildStageLaysOutTheBinaryFromTheOrderFile() throws {
        let text = try Self.read("Dockerfile")
        #expect(text.contains("binary=\"$(scripts/build-release)\" && install"), "the Dockerfile does not build with scripts/build-release")
        let script = try Self.read("scripts/build-release")
        #expect(script.contains("--symbol-ordering-file=$PWD/deploy/codex-k8s.order"))
        #expect(script.contains("-static-stdlib") && script.contains("-function-sections"))
        #expect(script.contains("-Xlinker \"$PWD/deploy/read-only-data.ld\""), "build-release does not link with the read-only data script")
        let linkerScript = try Self.read("deploy/read-only-data.ld")
        #expect(linkerScript.contains("INPUT_SECTION_FLAGS(SHF_WRITE) *(.rodata .rodata.*)") && linkerScript.contains("INSERT BEFORE .got;"))
        let order = try Self.read("deploy/codex-k8s.order")
        let symbols = order.split(separator: "\n")
        #expect(symbols.count > 1_000, "\(symbols.count) symbols")
        #expect(symbols.contains { $0.hasPrefix("$s8Operator") }, "no Operator function in the order file")
        #expect(!symbols.contains { $0.contains(" ") || $0.contains("(") }, "demangled or malformed names")
    }

    @Test func theBinaryStartsWithEverySymbolBound() async throws {
        let binaries = [Command.codexK8s] + (ReleaseBinary.path.map { [$0] } ?? [])
        for binary in binaries {
            let result = try await Command.run(binary, ["operator", "--help"], environment: ["LD_BIND_NOW": "1"])
            #expect(result.status == 0, "\(binary) with LD_BIND_NOW=1: \(result.err)")
            #expect(result.out.contains("--kubeconfig"), "\(result.out)")
        }
    }
}
