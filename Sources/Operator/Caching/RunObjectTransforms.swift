import KubeAPI
import KubeRuntime

/// What the operator keeps of the Jobs and Pods it caches (one of each per run): exactly the
/// fields `JobObserver` and the reconciler read, so 1,000 cached runs do not hold 1,000 pod specs
/// (containers, env, volumes, security contexts) and Job pod templates.
///
/// Kept for both: the metadata of `CacheTransform.slimMetadata` (name, namespace, uid,
/// resourceVersion, creationTimestamp — the newest pod —, deletionTimestamp, ownerReferences)
/// with only the labels the operator reads (`keptLabels`: `codex-k8s.dev/run` — the index and the
/// mapping to the run — and `app.kubernetes.io/managed-by`). Dropped: `spec`, annotations,
/// finalizers, every other label (the Job controller's `controller-uid`, `job-name` and their
/// `batch.kubernetes.io/` forms on every pod: four of a pod's nine labels, two of them 36-byte
/// UIDs).
/// - Job: `status.conditions` of type `Complete` and `Failed` (type, status, reason, message).
/// - Pod: `status.phase`; the `Ready` condition (its `lastTransitionTime` dates a back-off); per
///   container its name, `state` and `lastState` (waiting reason/message, running, terminated exit
///   code, reason and message). Dropped: image, imageID, containerID, init containers, the other
///   conditions and the pod's own reason/message/startTime.
///
/// Both are held in the store as `CachedJob`/`CachedPod` (metadata and status only: the models keep
/// the inline size of the dropped spec, see `CachedRunObjects`).
///
/// The operator never writes Jobs or Pods back (it creates Jobs from its templates and deletes
/// them by name), so the dropped fields are never missed by an update.
public enum RunObjectTransforms {
    public static let job = CacheTransform<Job>.slimMetadata(then: slimJob).storing(CachedRunObjects.job)

    public static let pod = CacheTransform<Pod>.slimMetadata(then: slimPod).storing(CachedRunObjects.pod)

    @Sendable static func slimJob(_ job: Job) -> Job {
        var slim = Job(metadata: slimLabels(job.metadata))
        if let status = job.status {
            let conditions = status.conditions?.filter { $0.type == "Complete" || $0.type == "Failed" }
            slim.status = JobStatus(conditions: conditions.map { $0.map(slimCondition) })
        }
        return slim
    }

    @Sendable static func slimPod(_ pod: Pod) -> Pod {
        var slim = Pod(metadata: slimLabels(pod.metadata))
        if let status = pod.status {
            slim.status = PodStatus(
                phase: status.phase,
                conditions: status.conditions?.filter { $0.type == "Ready" }.map(slimCondition),
                containerStatuses: status.containerStatuses?.map { c in
                    ContainerStatus(name: c.name, ready: c.ready, restartCount: c.restartCount,
                                    state: c.state, lastState: c.lastState)
                })
        }
        return slim
    }

    /// The labels a cached Job or Pod keeps: what the store indexes and the controller maps by.
    static let keptLabels = [RunLabels.run, RunLabels.managedBy]

    /// `meta` with only `keptLabels` (nil when it has none of them).
    static func slimLabels(_ meta: ObjectMeta) -> ObjectMeta {
        guard let labels = meta.labels, labels.keys.contains(where: { !keptLabels.contains($0) }) else { return meta }
        var kept = [String: String](minimumCapacity: keptLabels.count)
        for key in keptLabels { kept[key] = labels[key] }
        var slim = meta
        slim.labels = kept.isEmpty ? nil : kept
        return slim
    }

    /// A condition without the fields nothing reads (`lastProbeTime`, `lastUpdateTime`, `observedGeneration`).
    static func slimCondition(_ c: Condition) -> Condition {
        var slim = c
        slim.lastProbeTime = nil
        slim.lastUpdateTime = nil
        slim.observedGeneration = nil
        return slim
    }
}
