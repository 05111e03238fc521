import KubeAPI
import KubeClient

/// Writing request bodies on one core: an agent Job like the operator's (pod template, one container
/// with credentials from a Secret, security contexts, resources, labels and owner reference) and an
/// AgentRun-sized status object, through the Codable path (`JSONValueEncoder`, `apiVersion`/`kind`
/// set, `serialized()`) and through the hand-written `JSONWritable` writer. CPU time of this thread.
enum EncodeBenchmark {
    static func job(_ i: Int) -> Job {
        let meta = ObjectMeta(name: "agent-run-\(i)", namespace: "codex-run-\(i)",
                              labels: ["app.kubernetes.io/managed-by": "codex-k8s", "codex-k8s.dev/run": "run-\(i)",
                                       "codex-k8s.dev/issue": "\(i)", "codex-k8s.dev/stage": "dev"],
                              annotations: ["codex-k8s.dev/repository": "org/repo"],
                              ownerReferences: [OwnerReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", name: "run-\(i)",
                                                               uid: "5f0c2a4e-1b7d-4c7e-9a51-\(i)", controller: true, blockOwnerDeletion: true)])
        let env = (0..<6).map { EnvVar(name: "VAR_\($0)", value: "value-\(i)-\($0)") }
            + [EnvVar(name: "OPENAI_API_KEY", valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "codex-credentials", key: "openai")))]
        let container = Container(
            name: "agent", image: "ghcr.io/org/agent:1.2.3", imagePullPolicy: "IfNotPresent", command: ["/bin/agent"],
            args: ["--stage", "dev", "--issue", "\(i)"], env: env,
            resources: ResourceRequirements(limits: ["cpu": "2", "memory": "4Gi"], requests: ["cpu": "500m", "memory": "1Gi"]),
            securityContext: SecurityContext(runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false,
                                             readOnlyRootFilesystem: false, capabilities: Capabilities(drop: ["ALL"]),
                                             seccompProfile: SeccompProfile(type: "RuntimeDefault")))
        let pod = PodSpec(containers: [container], restartPolicy: "Never", serviceAccountName: "codex-agent",
                          automountServiceAccountToken: true,
                          securityContext: PodSecurityContext(runAsNonRoot: true, fsGroup: 1000,
                                                              seccompProfile: SeccompProfile(type: "RuntimeDefault")),
                          volumes: [["name": "work", "emptyDir": [:]]], enableServiceLinks: false)
        return Job(metadata: meta, spec: JobSpec(template: PodTemplateSpec(metadata: ObjectMeta(labels: meta.labels), spec: pod),
                                                 backoffLimit: 0, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 3600))
    }

    static func run() {
        let jobs = (0..<200).map(job)
        let rounds = 50
        var bytes = 0
        func measure(_ label: String, _ body: (Job) throws -> [UInt8]) {
            bytes = 0
            let cpuStart = ProcessStats.threadCPUSeconds
            for _ in 0..<rounds {
                for j in jobs { bytes += (try? body(j))?.count ?? 0 }
            }
            let cpu = ProcessStats.threadCPUSeconds - cpuStart
            let n = Double(rounds * jobs.count)
            print("encode \(label): \(String(format: "%.2f", cpu / n * 1e6)) µs CPU per Job body (\(bytes / Int(n)) bytes)")
        }
        for _ in 0..<3 {
            measure("Codable (JSONValueEncoder + serialized)") { j in
                var v = try JSONValueEncoder().encode(j)
                v["apiVersion"] = .string(Job.resource.apiVersion)
                v["kind"] = .string(Job.resource.kind)
                return v.serialized()
            }
            measure("JSONWritable (JSONWriter)") { j in j.jsonBytes() }
        }
    }
}
