import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// Admission and validation as real kubectl (1.35) meets them: `apply` of a Secret's stringData
/// reports `configured` and updates `data` (FINDINGS A4), server-side dry-run deletes of an
/// immortal namespace are refused, quota errors reach the user verbatim.
@Suite(.enabled(if: Kubectl.path != nil, "kubectl not found on PATH or in tools/bin (run scripts/install-kube-tools)"))
struct KubectlAdmissionTests {
    static func secretYAML(_ value: String) -> String {
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: default}
        stringData: {pw: \(value)}

        """
    }

    @Test func applyOfStringDataIsConfigured() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let created = try await kubectl.run(["apply", "-f", "-"], stdin: Self.secretYAML("one"))
        #expect(created.out.contains("secret/s created"), "\(created.err)")
        let changed = try await kubectl.run(["apply", "-f", "-"], stdin: Self.secretYAML("two"))
        #expect(changed.out.contains("secret/s configured"), "\(changed.out) \(changed.err)")
        let data = try await kubectl.run(["get", "secret", "s", "-o", "jsonpath={.data.pw}"])
        #expect(data.out == Data("two".utf8).base64EncodedString())
        let json = try await kubectl.run(["get", "secret", "s", "-o", "json"])
        #expect(!json.out.contains("\"stringData\""))
        try await f.close()
    }

    @Test func immortalNamespaceAndQuotaErrors() async throws {
        let f = try await Fixture.start()
        let kubectl = try f.kubectl()
        let delete = try await kubectl.run(["delete", "namespace", "default", "--dry-run=server"])
        #expect(delete.status != 0)
        #expect(delete.err.contains("namespaces \"default\" is forbidden: this namespace may not be deleted"), "\(delete.err)")
        let quota = try await kubectl.run(["apply", "-f", "-"], stdin: """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: q, namespace: default}
            spec: {hard: {secrets: "1"}}

            """)
        #expect(quota.status == 0, "\(quota.err)")
        #expect(try await kubectl.run(["create", "secret", "generic", "a", "--from-literal=k=v"]).status == 0)
        let second = try await kubectl.run(["create", "secret", "generic", "b", "--from-literal=k=v"])
        #expect(second.status != 0)
        #expect(second.err.contains("secrets \"b\" is forbidden: exceeded quota: q, requested: secrets=1, used: secrets=1, limited: secrets=1"),
                "\(second.err)")
        let described = try await kubectl.run(["get", "quota", "q", "-o", "jsonpath={.status.used.secrets}"])
        #expect(described.out == "1")
        let namespace = try await kubectl.run(["describe", "namespace", "default"])
        let quotaLine = namespace.out.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("secrets") }
        #expect(quotaLine?.split(separator: " ") == ["secrets", "1", "1"], "describe shows used and hard: \(namespace.out)")
        try await f.close()
    }
}
