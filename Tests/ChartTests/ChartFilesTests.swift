import Foundation
import Testing

/// The chart's copies of `CRDs/` are byte-for-byte the originals (the single source): the two CRDs
/// in `crds/` and the agent ClusterRoles in `templates/`.
struct ChartFilesTests {
    @Test(arguments: [
        ("agentruns.codex-k8s.dev.yaml", "crds/agentruns.codex-k8s.dev.yaml"),
        ("runnamespaces.codex-k8s.dev.yaml", "crds/runnamespaces.codex-k8s.dev.yaml"),
        ("agent-clusterroles.yaml", "templates/agent-clusterroles.yaml"),
    ])
    func copyEqualsSource(source: String, copy: String) throws {
        let original = try Data(contentsOf: Helm.repository.appendingPathComponent("CRDs/\(source)"))
        let copied = try Data(contentsOf: URL(fileURLWithPath: Helm.chart).appendingPathComponent(copy))
        #expect(original == copied, "charts/codex-k8s/\(copy) differs from CRDs/\(source): cp CRDs/\(source) charts/codex-k8s/\(copy)")
    }

    /// Every file of CRDs/ has a copy in the chart (a new CRD cannot be forgotten).
    @Test func everySourceIsCopied() throws {
        let sources = try FileManager.default.contentsOfDirectory(atPath: Helm.repository.appendingPathComponent("CRDs").path)
            .filter { $0.hasSuffix(".yaml") }
        let chartFiles = try FileManager.default.contentsOfDirectory(atPath: Helm.chart + "/crds")
            + FileManager.default.contentsOfDirectory(atPath: Helm.chart + "/templates")
        for source in sources { #expect(chartFiles.contains(source), "\(source)") }
    }
}
