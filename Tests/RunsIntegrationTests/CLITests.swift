import TestSupport
import Foundation
import Runs
import Testing

/// `codex-k8s crds` and `codex-k8s validate-config`, run as the real binary.
@Suite struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func binary() throws -> String {
        let path = Command.codexK8s
        try #require(FileManager.default.isExecutableFile(atPath: path), "build codex-k8s first (swift build --build-tests): \(path)")
        return path
    }

    @Test func crdsPrintsTheFiles() async throws {
        let r = try await Command.run(try Self.binary(), ["crds"])
        #expect(r.status == 0)
        let files = try ["agentruns.codex-k8s.dev.yaml", "runnamespaces.codex-k8s.dev.yaml"].map {
            try String(contentsOf: Self.repository.appendingPathComponent("CRDs/\($0)"), encoding: .utf8)
        }
        #expect(r.out == files.joined(separator: "---\n"))
        let roles = try await Command.run(try Self.binary(), ["crds", "--with-cluster-roles"])
        #expect(roles.out.hasSuffix(EmbeddedManifests.agentClusterRoles))
    }

    @Test func validateConfigPrintsTheEffectiveConfig() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "slots:\n  perRepository: 5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try await Command.run(try Self.binary(), ["validate-config", file])
        #expect(r.status == 0, "\(r.err)")
        var expected = OperatorConfig.defaults
        expected.slots.perRepository = 5
        #expect(r.out == expected.render())
        let defaults = try await Command.run(try Self.binary(), ["validate-config", "--print-defaults"])
        #expect(defaults.out == (try String(contentsOf: Self.repository.appendingPathComponent("examples/config.yaml"), encoding: .utf8)))
    }

    @Test func validateConfigPrintsEveryErrorAndFails() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "sweep:\n  interval: soon\nslotz: {}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try await Command.run(try Self.binary(), ["validate-config", file])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        #expect(r.err.split(separator: "\n") == [
            "\(file):2:13: sweep.interval: invalid duration \"soon\" (want a number and a unit s, m, h or d, e.g. 90s, 15m, 24h, 3d)",
            "\(file):3:1: slotz: unknown key \"slotz\" (did you mean \"slots\"?)",
        ])
        let missing = try await Command.run(try Self.binary(), ["validate-config", file + ".absent"])
        #expect(missing.status != 0)
    }
}
