/// The built-in kinds a Helm chart and kubectl use beyond what an operator provisions: workloads
/// (Deployment, ReplicaSet, CronJob), networking (Service, Ingress), PodDisruptionBudget,
/// PersistentVolumeClaim and Node. Scope, short names, categories and subresources as in
/// kube-apiserver 1.35 (`kubectl api-resources`).
enum WorkloadResources {
    static let all: [ResourceType] = [
        ResourceType(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true,
                     shortNames: ["svc"], categories: ["all"], subresources: ["status"]),
        ResourceType(group: "", version: "v1", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim",
                     namespaced: true, shortNames: ["pvc"], subresources: ["status"]),
        ResourceType(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false,
                     shortNames: ["no"], subresources: ["status"]),
        ResourceType(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true,
                     shortNames: ["deploy"], categories: ["all"], subresources: ["status"]),
        ResourceType(group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true,
                     shortNames: ["rs"], categories: ["all"], subresources: ["status"]),
        ResourceType(group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true,
                     shortNames: ["cj"], categories: ["all"], subresources: ["status"]),
        ResourceType(group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true,
                     shortNames: ["ing"], subresources: ["status"]),
        ResourceType(group: "policy", version: "v1", plural: "poddisruptionbudgets", kind: "PodDisruptionBudget",
                     namespaced: true, shortNames: ["pdb"], subresources: ["status"]),
    ]

    /// Storage keys of the kinds above, for the per-kind strategies.
    static let deployments = "deployments.apps"
    static let replicaSets = "replicasets.apps"
    static let services = "services"
    static let pdbs = "poddisruptionbudgets.policy"
    static let cronJobs = "cronjobs.batch"
    static let ingresses = "ingresses.networking.k8s.io"
    static let pvcs = "persistentvolumeclaims"
}
