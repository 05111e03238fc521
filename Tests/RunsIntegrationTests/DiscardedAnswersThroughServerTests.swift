import ClusterSupport
import Foundation
import KubeAPI
import KubeClient
import Runs
import Testing
import YAML

/// `replaceStatusDiscardingResult` against KubeTestServer: the same status PUT as `replaceStatus`
/// (the server stores the status, compare-and-swap on the resourceVersion), and every failure
/// thrown as the same `KubeError` `replaceStatus` throws for the same request.
@Suite struct DiscardedAnswersThroughServerTests {
    @Test func replaceStatusDiscardingResultWritesAndFailsLikeReplaceStatus() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("discard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try await TestCluster.start(directory: dir)
        do {
            if cluster.server != nil {  // in memory: the CRDs as shipped (a real cluster has them installed)
                for doc in try YAMLNode.parseDocuments(Array(EmbeddedManifests.crds.utf8)) {
                    try await CRDInstall.createEstablished(try doc.jsonValue(), cluster.client)
                }
            }
            try await Self.check(cluster.client)
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }

    static func check(_ client: KubeClient) async throws {
        let name = "discard-\(UUID().uuidString.lowercased().prefix(8))"
        let spec = RunNamespaceSpec(repository: "o/r", issue: 7, stage: .dev, role: .dev, mode: .codeOnly, ttl: .seconds(3600))
        let created = try await client.create(RunNamespace(metadata: ObjectMeta(name: name), spec: spec))
        #expect(created.status == nil)

        // Written: the server holds the status sent, under a new resourceVersion.
        let status = RunNamespaceStatus(phase: .active, leaseExpiresAt: KubeTime(secondsSince1970: 1_800_000_000),
                                        leaseRenewedAt: KubeTime(secondsSince1970: 1_799_990_000), renewals: 0,
                                        activeRuns: ["r1"], lastRun: "r1")
        var withStatus = created
        withStatus.status = status
        try await client.replaceStatusDiscardingResult(withStatus)
        let read = try await client.get(RunNamespace.self, name: name)
        #expect(read.status == status)
        #expect(read.spec == created.spec)
        #expect(read.metadata.resourceVersion != created.metadata.resourceVersion)

        // A stale resourceVersion: the same 409 Conflict from both.
        var stale = created
        stale.status = RunNamespaceStatus(phase: .expired)
        let discarded = await Self.error { () async throws(KubeError) in try await client.replaceStatusDiscardingResult(stale) }
        let decoded = await Self.error { () async throws(KubeError) in _ = try await client.replaceStatus(stale) }
        #expect(discarded?.isConflict == true)
        #expect(discarded == decoded)
        #expect(try await client.get(RunNamespace.self, name: name).status == status)

        // An object that does not exist: the same 404 from both.
        var absent = read
        absent.metadata.name = name + "-absent"
        absent.metadata.resourceVersion = nil
        let discardedAbsent = await Self.error { () async throws(KubeError) in try await client.replaceStatusDiscardingResult(absent) }
        let decodedAbsent = await Self.error { () async throws(KubeError) in _ = try await client.replaceStatus(absent) }
        #expect(discardedAbsent?.isNotFound == true)
        #expect(discardedAbsent == decodedAbsent)

        // A status the schema rejects (renewals is an integer ≥ 0): the same 422 from both.
        var invalid = read
        invalid.status?.renewals = -1
        let discardedInvalid = await Self.error { () async throws(KubeError) in try await client.replaceStatusDiscardingResult(invalid) }
        let decodedInvalid = await Self.error { () async throws(KubeError) in _ = try await client.replaceStatus(invalid) }
        #expect(discardedInvalid != nil)
        #expect(discardedInvalid == decodedInvalid)

        // No name: the same local error from both, nothing sent.
        var unnamed = read
        unnamed.metadata.name = nil
        let discardedUnnamed = await Self.error { () async throws(KubeError) in try await client.replaceStatusDiscardingResult(unnamed) }
        let decodedUnnamed = await Self.error { () async throws(KubeError) in _ = try await client.replaceStatus(unnamed) }
        #expect(discardedUnnamed != nil && discardedUnnamed == decodedUnnamed)
    }

    static func error(_ body: () async throws(KubeError) -> Void) async -> KubeError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}
