import ClusterSupport
import Foundation
import KubeAPI
import KubeClient
import Testing

/// The hand-written bodies through the real interface: each kind the operator writes is created
/// with the typed client (the writer's path) against KubeTestServer — or the cluster of
/// `CODEX_K8S_TEST_KUBECONFIG` — and read back equal in what was sent; a replace and a status
/// replace go the same way.
@Suite struct TypedWritesThroughServerTests {
    typealias F = WritingFixtures

    /// What a server accepts on create: the fixtures' metadata without server-owned fields.
    static func meta(_ name: String, _ namespace: String?) -> ObjectMeta {
        ObjectMeta(name: name, namespace: namespace, labels: ["app": "writer", "esc": "a-b.c_d"],
                   annotations: ["note": F.tricky, "empty": ""], finalizers: nil)
    }

    @Test func everyKindTheOperatorCreatesReadsBackAsSent() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cluster = try await TestCluster.start(directory: dir)
        do {
            try await Self.createEveryKind(cluster.client)
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }

    static func createEveryKind(_ client: KubeClient) async throws {
        let ns = "writer-\(UUID().uuidString.lowercased().prefix(8))"

        let namespace = Namespace(metadata: Self.meta(ns, nil))
        try await client.createDiscardingResult(namespace)
        let gotNamespace = try await client.get(Namespace.self, name: ns)
        // The server adds `kubernetes.io/metadata.name`.
        #expect(namespace.metadata.labels!.allSatisfy { gotNamespace.metadata.labels?[$0.key] == $0.value })
        #expect(gotNamespace.metadata.annotations == namespace.metadata.annotations)

        let sa = ServiceAccount(metadata: Self.meta("agent", ns), automountServiceAccountToken: false,
                                imagePullSecrets: [LocalObjectReference(name: "pull")])
        try await client.createDiscardingResult(sa)
        let gotSA = try await client.get(ServiceAccount.self, namespace: ns, name: "agent")
        #expect(gotSA.automountServiceAccountToken == false)
        #expect(gotSA.imagePullSecrets == sa.imagePullSecrets)
        #expect(gotSA.metadata.annotations == sa.metadata.annotations)

        let rb = RoleBinding(metadata: Self.meta("agent", ns), subjects: [Subject(kind: "ServiceAccount", name: "agent", namespace: ns)],
                             roleRef: RoleRef(kind: "ClusterRole", name: "edit"))
        try await client.createDiscardingResult(rb)
        let gotRB = try await client.get(RoleBinding.self, namespace: ns, name: "agent")
        #expect(gotRB.subjects == rb.subjects)
        #expect(gotRB.roleRef == rb.roleRef)

        let quota = ResourceQuota(metadata: Self.meta("quota", ns), spec: ResourceQuotaSpec(hard: ["pods": "10", "requests.cpu": "4"]))
        try await client.createDiscardingResult(quota)
        #expect(try await client.get(ResourceQuota.self, namespace: ns, name: "quota").spec?.hard == quota.spec?.hard)

        let limits = LimitRange(metadata: Self.meta("limits", ns), spec: F.limitRange.spec)
        try await client.createDiscardingResult(limits)
        #expect(try await client.get(LimitRange.self, namespace: ns, name: "limits").spec == limits.spec)

        // Valid as the API validates it: an ipBlock peer alone, `endPort` only with a numeric port.
        let peers = [NetworkPolicyPeer(podSelector: F.selector), NetworkPolicyPeer(namespaceSelector: F.selector),
                     NetworkPolicyPeer(ipBlock: IPBlock(cidr: "10.0.0.0/8", except: ["10.1.0.0/16"]))]
        let policy = NetworkPolicy(metadata: Self.meta("policy", ns), spec: NetworkPolicySpec(
            podSelector: F.selector, policyTypes: ["Ingress", "Egress"],
            ingress: [NetworkPolicyIngressRule(from: peers, ports: [NetworkPolicyPort(protocol: "TCP", port: 443, endPort: 450)])],
            egress: [NetworkPolicyEgressRule(to: peers, ports: [NetworkPolicyPort(protocol: "UDP", port: "dns")])]))
        try await client.createDiscardingResult(policy)
        #expect(try await client.get(NetworkPolicy.self, namespace: ns, name: "policy").spec == policy.spec)

        let secret = Secret(metadata: Self.meta("creds", ns), type: "Opaque", data: ["token": "dG9rZW4="])
        try await client.createDiscardingResult(secret)
        #expect(try await client.get(Secret.self, namespace: ns, name: "creds").data == secret.data)

        var podSpec = F.podSpec
        podSpec.volumes = [["name": "work", "emptyDir": ["sizeLimit": "1Gi"]]]  // the server prunes unknown members
        let job = Job(metadata: Self.meta("agent", ns),
                      spec: JobSpec(template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": "writer"]), spec: podSpec),
                                    backoffLimit: 0, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 600))
        let created = try await client.create(job)
        #expect(created.spec?.template.spec.containers == job.spec?.template.spec.containers)
        #expect(created.spec?.template.spec.volumes == job.spec?.template.spec.volumes)
        #expect(created.spec?.backoffLimit == 0)
        #expect(created.spec?.activeDeadlineSeconds == 7200)
        // The server's Job controller may write the Job in between: read, then replace its status.
        var withStatus: Job? = nil
        for _ in 0..<5 where withStatus == nil {
            withStatus = try await Self.replaceJobStatus(client, namespace: ns, JobStatus(active: 1, startTime: F.time))
        }
        #expect(withStatus?.status?.active == 1)
        #expect(withStatus?.status?.startTime == F.time)

        let event = Event(metadata: Self.meta("run.1", ns), eventTime: F.microTime, reportingController: "codex-k8s.dev/operator",
                          reportingInstance: "op-0", action: "Provision", reason: "Provisioned",
                          regarding: ObjectReference(apiVersion: "batch/v1", kind: "Job", namespace: ns, name: "agent"),
                          note: F.tricky, type: "Normal")
        try await client.createDiscardingResult(event)
        let gotEvent = try await client.get(Event.self, namespace: ns, name: "run.1")
        #expect(gotEvent.note == F.tricky)
        #expect(gotEvent.eventTime == event.eventTime)
        #expect(gotEvent.regarding == event.regarding)

        var lease = try await client.create(Lease(metadata: Self.meta("leader", ns),
                                                  spec: LeaseSpec(holderIdentity: "op-0", leaseDurationSeconds: 15, renewTime: F.microTime)))
        lease.spec?.holderIdentity = "op-1"
        lease.spec?.leaseTransitions = 1
        let replaced = try await client.replace(lease)
        #expect(replaced.spec?.holderIdentity == "op-1")
        #expect(replaced.spec?.leaseTransitions == 1)
        #expect(replaced.metadata.resourceVersion != lease.metadata.resourceVersion)
    }

    /// The Job "agent" read, then its status replaced; nil on a conflict.
    static func replaceJobStatus(_ client: KubeClient, namespace: String, _ status: JobStatus) async throws -> Job? {
        var job = try await client.get(Job.self, namespace: namespace, name: "agent")
        job.status = status
        do {
            return try await client.replaceStatus(job)
        } catch {
            if case .conflict = error { return nil }
            throw error
        }
    }
}
