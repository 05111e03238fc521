import KubeAPI
import Runs
import Testing
@testable import KubeClient

/// The hand-written `JSONWritable` bodies against the Codable path they replace on the write path
/// (`JSONValueEncoder`, `apiVersion`/`kind` from the descriptor, `serialized()`): the same text up to
/// member order, for a fully populated and a minimal value of every type the operator writes.
@Suite struct JSONWritingDifferentialTests {
    /// The writer's body (as `KubeClient` sends it) against the Codable path's.
    static func expectSameBody<T: JSONWritableResource>(_ object: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = try KubeClient.typedBody(object)
        #expect(written == object.jsonBytes(), "KubeClient takes the writer's path", sourceLocation: sourceLocation)
        #expect(Self.hook(object) != nil, "the KubeResource requirement dispatches to the writer", sourceLocation: sourceLocation)
        let codable = try JSONCoding.encodeResource(object).serialized()
        #expect(String(decoding: try CanonicalJSON.canonical(written), as: UTF8.self)
                    == String(decoding: try CanonicalJSON.canonical(codable), as: UTF8.self), sourceLocation: sourceLocation)
    }

    /// `handWrittenJSON` as a generic client sees it (through the `KubeResource` witness table).
    static func hook<T: KubeResource>(_ object: T) -> [UInt8]? { object.handWrittenJSON() }

    /// A nested value's text against `JSONValueEncoder`'s.
    static func expectSame<T: JSONWritable & Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var w = JSONWriter()
        value.writeJSON(into: &w)
        let codable = try JSONValueEncoder().encode(value).serialized()
        #expect(String(decoding: try CanonicalJSON.canonical(w.bytes), as: UTF8.self)
                    == String(decoding: try CanonicalJSON.canonical(codable), as: UTF8.self), sourceLocation: sourceLocation)
    }

    typealias F = WritingFixtures

    @Test func fullObjectsWriteWhatCodableWrites() throws {
        try Self.expectSameBody(F.job)
        try Self.expectSameBody(F.namespace)
        try Self.expectSameBody(F.serviceAccount)
        try Self.expectSameBody(F.roleBinding)
        try Self.expectSameBody(F.resourceQuota)
        try Self.expectSameBody(F.limitRange)
        try Self.expectSameBody(F.networkPolicy)
        try Self.expectSameBody(F.secret)
        try Self.expectSameBody(F.event)
        try Self.expectSameBody(F.lease)
        try Self.expectSameBody(F.agentRun)
        try Self.expectSameBody(F.runNamespace)
    }

    @Test func minimalObjectsWriteWhatCodableWrites() throws {
        try Self.expectSameBody(F.minimalJob)
        try Self.expectSameBody(Namespace())
        try Self.expectSameBody(ServiceAccount())
        try Self.expectSameBody(F.minimalRoleBinding)
        try Self.expectSameBody(ResourceQuota())
        try Self.expectSameBody(LimitRange())
        try Self.expectSameBody(NetworkPolicy())
        try Self.expectSameBody(Secret())
        try Self.expectSameBody(Event(eventTime: F.microTime))
        try Self.expectSameBody(Lease())
        try Self.expectSameBody(F.minimalAgentRun)
        try Self.expectSameBody(F.minimalRunNamespace)
    }

    /// Every nested type alone, minimal (what the full objects above do not show: each type's
    /// members when its optionals are all absent, and empty collections where they are required).
    @Test func minimalNestedValuesWriteWhatCodableWrites() throws {
        try Self.expectSame(ObjectMeta())
        try Self.expectSame(F.minimalOwnerReference)
        try Self.expectSame(LabelSelector())
        try Self.expectSame(LabelSelectorRequirement(key: "k", operator: "Exists"))
        try Self.expectSame(ObjectReference())
        try Self.expectSame(LocalObjectReference())
        try Self.expectSame(Condition(type: "T", status: "Unknown"))
        try Self.expectSame(JobSpec(template: PodTemplateSpec(spec: F.minimalPodSpec)))
        try Self.expectSame(JobStatus())
        try Self.expectSame(PodTemplateSpec(spec: PodSpec(containers: [F.minimalContainer])))
        try Self.expectSame(PodSecurityContext())
        try Self.expectSame(SeccompProfile(type: "RuntimeDefault"))
        try Self.expectSame(F.minimalContainer)
        try Self.expectSame(EnvVar(name: "n"))
        try Self.expectSame(EnvVarSource())
        try Self.expectSame(KeySelector(key: "k"))
        try Self.expectSame(ObjectFieldSelector(fieldPath: "f"))
        try Self.expectSame(SecurityContext())
        try Self.expectSame(Capabilities())
        try Self.expectSame(ResourceRequirements())
        try Self.expectSame(ResourceRequirements(limits: [:], requests: [:]))
        try Self.expectSame(VolumeMount(name: "v", mountPath: "/m"))
        try Self.expectSame(EventSeries(count: 0, lastObservedTime: MicroTime(secondsSince1970: 0)))
        try Self.expectSame(NamespaceSpec())
        try Self.expectSame(NamespaceStatus())
        try Self.expectSame(Subject(kind: "User", name: "u"))
        try Self.expectSame(ResourceQuotaSpec())
        try Self.expectSame(ResourceQuotaStatus())
        try Self.expectSame(LimitRangeSpec())
        try Self.expectSame(LimitRangeItem(type: "Pod"))
        try Self.expectSame(NetworkPolicySpec())
        try Self.expectSame(NetworkPolicyIngressRule())
        try Self.expectSame(NetworkPolicyEgressRule(to: [], ports: []))
        try Self.expectSame(NetworkPolicyPeer())
        try Self.expectSame(IPBlock(cidr: "::/0"))
        try Self.expectSame(NetworkPolicyPort())
        try Self.expectSame(LeaseSpec())
        try Self.expectSame(AgentRunStatus())
        try Self.expectSame(ProfileSources())
        try Self.expectSame(AgentRunReport())
        try Self.expectSame(AgentOverrides())
        try Self.expectSame(AgentResources())
        try Self.expectSame(RunTrigger(source: .manual))
        try Self.expectSame(RunNamespaceStatus())
    }

    /// The full fixtures really are full: no `nil` optional, no empty collection anywhere inside.
    /// A field added to a model is `nil` here until the fixture sets it — and then the differential
    /// test above fails until the type's writer writes it.
    @Test func fullFixturesLeaveNothingOut() {
        let fixtures: [(String, Any)] = [
            ("job", F.job), ("namespace", F.namespace), ("serviceAccount", F.serviceAccount), ("roleBinding", F.roleBinding),
            ("resourceQuota", F.resourceQuota), ("limitRange", F.limitRange), ("networkPolicy", F.networkPolicy),
            ("secret", F.secret), ("event", F.event), ("lease", F.lease), ("agentRun", F.agentRun), ("runNamespace", F.runNamespace),
        ]
        for (name, fixture) in fixtures {
            #expect(FixtureCompleteness.gaps(in: fixture) == [], "\(name)")
        }
        // The check itself finds gaps: absent optionals and empty collections, by path.
        let gaps = FixtureCompleteness.gaps(in: Job(metadata: ObjectMeta(name: "j"), spec: JobSpec(template: PodTemplateSpec(spec: PodSpec()))))
        #expect(gaps.contains("status"))
        #expect(gaps.contains("metadata.labels"))
        #expect(!gaps.contains("metadata.name"))
        #expect(gaps.contains("spec.template.spec.containers (empty)"))
        #expect(FixtureCompleteness.gaps(in: ["a": [String]()]).contains("[a] (empty)"))
    }

    /// A kind without a writer keeps the Codable path.
    @Test func kindsWithoutAWriterUseCodable() throws {
        let role = ClusterRole(metadata: ObjectMeta(name: "r"))
        #expect(Self.hook(role) == nil)
        #expect(try CanonicalJSON.canonical(KubeClient.typedBody(role)) == CanonicalJSON.canonical(JSONCoding.encodeResource(role).serialized()))
    }

    @Test func intOrStringWritesBothForms() throws {
        try Self.expectSame(NetworkPolicyPort(port: 8080))
        try Self.expectSame(NetworkPolicyPort(port: "http"))
        try Self.expectSame(NetworkPolicyPort(port: .int(-1)))
    }
}
