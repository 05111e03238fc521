import KubeAPI
import KubeClient
import Runs
import Testing
@testable import Operator

/// Every `TapeDecodable` model the operator decodes per run (watch events and status-update
/// answers) against its `Codable` decoding: the fully populated and the minimal document, a
/// single fault at every position of them (removed, every JSON kind put in place, duplicated,
/// escaped name) and random multi-fault documents — the same value or the same error each time.
@Suite struct TapeDecodingDifferentialTests {
    typealias F = TapeFixtures

    static func check<T: TapeDecodable & Equatable & Sendable>(_ type: T.Type, full: String, minimal: String? = nil,
                                                               seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        check(type, { $0 }, full: full, minimal: minimal, seed: seed, sourceLocation: sourceLocation)
    }

    static func check<T: TapeDecodable & Sendable, P: Equatable>(_ type: T.Type, _ project: (T) -> P, full: String,
                                                                 minimal: String? = nil, seed: UInt64,
                                                                 sourceLocation: SourceLocation = #_sourceLocation) {
        var documents = [full] + TapeDifferential.singleFaults(full).map(\.text)
        if let minimal { documents += [minimal] + TapeDifferential.singleFaults(minimal).map(\.text) }
        documents += TapeDifferential.randomFaults(full, count: 200, seed: seed).map(\.text)
        for text in documents { TapeDifferential.compare(T.self, text, project, sourceLocation: sourceLocation) }
    }

    @Test func agentRun() { Self.check(AgentRun.self, full: F.agentRun, minimal: F.agentRunMinimal, seed: 1) }
    @Test func runNamespace() { Self.check(RunNamespace.self, full: F.runNamespace, minimal: F.runNamespaceMinimal, seed: 2) }
    @Test func namespace() { Self.check(Namespace.self, full: F.namespace, minimal: F.namespaceMinimal, seed: 3) }
    @Test func status() { Self.check(Status.self, full: F.status, minimal: "{}", seed: 4) }
    @Test func lease() { Self.check(Lease.self, full: F.lease, minimal: F.namespaceMinimal, seed: 5) }
    @Test func jobStatus() { Self.check(JobStatus.self, full: F.jobStatus, minimal: "{}", seed: 6) }
    @Test func podStatus() { Self.check(PodStatus.self, full: F.podStatus, minimal: "{}", seed: 7) }
    @Test func objectMeta() { Self.check(ObjectMeta.self, full: F.metadata, minimal: "{}", seed: 8) }
    @Test func speclessJob() { Self.check(SpeclessJob.self, \.whole, full: F.job, minimal: F.namespaceMinimal, seed: 9) }
    @Test func speclessPod() { Self.check(SpeclessPod.self, \.whole, full: F.pod, minimal: F.namespaceMinimal, seed: 10) }

    /// A LIST page (`KubeList`, conditionally `TapeDecodable`), compared member by member.
    @Test func agentRunList() {
        struct Page: Equatable { var apiVersion, kind: String?; var metadata: ListMeta; var items: [AgentRun] }
        func page(_ l: KubeList<AgentRun>) -> Page { Page(apiVersion: l.apiVersion, kind: l.kind, metadata: l.metadata, items: l.items) }
        let full = #"{"apiVersion":"codex-k8s.dev/v1alpha1","kind":"AgentRunList","metadata":{"resourceVersion":"9","continue":"c","remainingItemCount":1},"items":[\#(F.agentRun),\#(F.agentRunMinimal)]}"#
        var documents = [full, "{}", #"{"items":null,"metadata":null}"#] + TapeDifferential.singleFaults(full).map(\.text)
        documents += TapeDifferential.randomFaults(full, count: 100, seed: 11).map(\.text)
        for text in documents {
            let bytes = Array(text.utf8)
            let reference = Outcome { page(try JSONBytesDecoder().decode(ViaCodable<KubeList<AgentRun>>.self, from: bytes).value) }
            let tape = Outcome { page(try JSONBytesDecoder().decode(KubeList<AgentRun>.self, from: bytes)) }
            #expect(tape == reference, "\(text)")
        }
    }

    /// Spec-less forms against the full models: the same metadata and status (the API's Job and
    /// Pod documents with their `spec`).
    @Test func speclessFormsKeepWhatTheFullModelsKeep() throws {
        let job = try JSONBytesDecoder().decode(SpeclessJob.self, from: Array(F.job.utf8))
        let fullJob = try JSONBytesDecoder().decode(Job.self, from: Array(F.job.utf8))
        #expect(job.whole == Job(metadata: fullJob.metadata, status: fullJob.status))
        let pod = try JSONBytesDecoder().decode(SpeclessPod.self, from: Array(F.pod.utf8))
        let fullPod = try JSONBytesDecoder().decode(Pod.self, from: Array(F.pod.utf8))
        #expect(pod.whole == Pod(metadata: fullPod.metadata, status: fullPod.status))
    }

    /// The fully populated fixtures fill every field through `init(tape:)`: a field added to a
    /// model later but not to its tape decoder (or not to the fixture) is left nil or empty here.
    @Test func fullFixturesFillEveryField() throws {
        func empty<T: TapeDecodable>(_ type: T.Type, _ text: String) throws -> [String] {
            TapeDifferential.emptyFields(in: try JSONTape(parsing: Array(text.utf8)).decode(T.self)).map { "\(T.self)\($0)" }
        }
        var found: [String] = []
        found += try empty(AgentRun.self, F.agentRun)
        found += try empty(RunNamespace.self, F.runNamespace)
        found += try empty(Namespace.self, F.namespace)
        found += try empty(Status.self, F.status)
        found += try empty(Lease.self, F.lease)
        found += try empty(JobStatus.self, F.jobStatus)
        found += try empty(PodStatus.self, F.podStatus)
        found += try empty(SpeclessJob.self, F.job)
        found += try empty(SpeclessPod.self, F.pod)
        #expect(found == [])
    }
}
