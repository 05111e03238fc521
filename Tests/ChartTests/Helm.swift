import TestSupport
import Foundation
import KubeAPI
import YAML

/// The real helm (the repository's `tools/bin`, then `PATH`), run with its cache and config in a
/// temporary directory, against `charts/codex-k8s`.
enum Helm {
    /// The repository root (three levels above this file).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let chart = repository.appendingPathComponent("charts/codex-k8s").path

    /// helm's path, or nil when it is not installed (the suites then skip with a note;
    /// `scripts/test` fails instead under `CODEX_K8S_REQUIRE_TOOLS=1`).
    static let path: String? = tool("helm")

    static func tool(_ name: String) -> String? {
        var candidates = [repository.appendingPathComponent("tools/bin/\(name)").path]
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs helm with `args`; HOME and helm's directories point into a fresh temporary directory.
    static func run(_ args: [String]) async throws -> Command.Result {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("helm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        return try await Command.run(path ?? "helm", args, environment: [
            "HOME": home.path,
            "HELM_CACHE_HOME": home.appendingPathComponent("cache").path,
            "HELM_CONFIG_HOME": home.appendingPathComponent("config").path,
            "HELM_DATA_HOME": home.appendingPathComponent("data").path,
        ])
    }

    /// `helm template` of the chart in namespace `codex-system` with `--set` values, parsed into
    /// objects (empty documents dropped). Fails the caller with helm's output when helm fails.
    static func template(_ sets: [String] = [], extra: [String] = []) async throws -> [JSONValue] {
        let result = try await run(["template", "codex", chart, "--namespace", "codex-system"]
            + sets.flatMap { ["--set", $0] } + extra)
        guard result.status == 0 else { throw HelmFailure(output: result.out + result.err) }
        return try YAMLNode.parseDocuments(Array(result.out.utf8)).map { try $0.jsonValue() }.filter { $0 != .null }
    }

    struct HelmFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { "helm failed:\n\(output)" }
    }
}

extension [JSONValue] {
    /// The objects of `kind`.
    func of(_ kind: String) -> [JSONValue] { filter { $0["kind"]?.stringValue == kind } }

    /// The object of `kind` named `name`, if rendered.
    func object(_ kind: String, _ name: String) -> JSONValue? {
        of(kind).first { $0[path: ["metadata", "name"]]?.stringValue == name }
    }
}
