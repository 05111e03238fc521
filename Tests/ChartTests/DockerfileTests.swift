import Foundation
import TestSupport
import Testing

/// The image's runtime stage (Dockerfile) binds every dynamic symbol at start-up
/// (`LD_BIND_NOW=1`; docs/performance.md, "Operator", memory), and the binary starts that way:
/// with eager binding a symbol no library defines fails the start instead of a later call.
@Suite struct DockerfileTests {
    /// The lines of the Dockerfile's last stage (after its last `FROM`).
    static func runtimeStage() throws -> [Substring] {
        let text = try String(contentsOf: Helm.repository.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let last = try #require(lines.lastIndex { $0.hasPrefix("FROM ") })
        return Array(lines[last...])
    }

    @Test func theRuntimeStageBindsEverySymbolAtStartUp() throws {
        let stage = try Self.runtimeStage()
        #expect(stage.contains { $0.trimmingCharacters(in: .whitespaces) == "ENV LD_BIND_NOW=1" }, "\(stage)")
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
