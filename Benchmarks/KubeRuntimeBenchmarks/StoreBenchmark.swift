import Foundation
import KubeAPI
import KubeRuntime

/// A realistic cached object: full metadata (labels, annotations, owner reference, finalizer)
/// and a ~600-byte JSON spec/status, about the size of an AgentRun or a Job summary.
struct BenchObject: KubeResource {
    static let resource = ResourceDescriptor(group: "codex-k8s.dev", version: "v1alpha1", plural: "agentruns",
                                             kind: "AgentRun", namespaced: true)
    var metadata: ObjectMeta
    var spec: JSONValue
    var status: JSONValue

    static func make(_ i: Int) -> BenchObject {
        var meta = ObjectMeta(name: "codex-owner-repo-\(i)-dev-\(String(i, radix: 16))", namespace: "codex-system",
                              labels: ["app.kubernetes.io/managed-by": "codex-k8s", "codex-k8s.dev/issue": "\(i)",
                                       "codex-k8s.dev/stage": "dev"],
                              annotations: ["codex-k8s.dev/repository": "owner/repo-\(i % 50)",
                                            "codex-k8s.dev/lease-expires-at": "2026-11-22T10:00:00Z"],
                              ownerReferences: [OwnerReference(apiVersion: "v1", kind: "Namespace", name: "codex-\(i)",
                                                               uid: UUID().uuidString, controller: true)],
                              finalizers: ["codex-k8s.dev/cleanup"])
        meta.uid = UUID().uuidString
        meta.resourceVersion = "\(100_000 + i)"
        meta.generation = 3
        meta.creationTimestamp = KubeTime(secondsSince1970: 1_800_000_000 + Double(i))
        let spec: JSONValue = ["repository": .string("owner/repo-\(i % 50)"), "issue": .int(Int64(i)), "stage": "dev",
                               "mode": "full-env", "model": "gpt-5-codex", "reasoning": "high",
                               "labels": [["name": "run:dev", "scope": "issue"], ["name": "[ai-model-gpt-5]", "scope": "issue"]],
                               "trigger": ["source": "github", "deliveryID": .string(UUID().uuidString), "event": "issues",
                                           "action": "labeled", "label": "run:dev", "sender": "octocat",
                                           "receivedAt": "2026-11-21T20:00:00Z"]]
        let status: JSONValue = ["phase": "Running", "reason": "JobRunning", "namespace": .string("codex-owner-repo-\(i)"),
                                 "jobName": .string("codex-run-\(i)"), "observedGeneration": 3,
                                 "conditions": [["type": "Ready", "status": "True", "reason": "JobRunning",
                                                 "lastTransitionTime": "2026-11-21T20:01:00Z"]]]
        return BenchObject(metadata: meta, spec: spec, status: status)
    }
}

/// Memory of 10,000 cached objects: resident set size above the baseline after the objects are
/// built, relisted into a `Store` (indexed by two labels and owner) and the build arrays dropped.
enum StoreBenchmark {
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func run() {
        let baseline = residentBytes()
        let store = Store<BenchObject>(indexedLabels: ["codex-k8s.dev/issue", "codex-k8s.dev/stage"])
        store.apply(.initStarted)
        for page in 0..<20 {
            store.apply(.initPage((0..<500).map { BenchObject.make(page * 500 + $0) }))
        }
        store.apply(.initDone)
        let after = residentBytes()
        let json = BenchObjectSize.jsonBytes(BenchObject.make(1))
        print(String(format: "store: %d objects (%d bytes of JSON each) cached: %.1f MB above baseline (%.0f bytes/object)",
                     store.count, json, Double(after - baseline) / 1e6, Double(after - baseline) / Double(store.count)))
    }
}

enum BenchObjectSize {
    static func jsonBytes(_ o: BenchObject) -> Int {
        (try? JSONEncoder().encode(o).count) ?? 0
    }
}
