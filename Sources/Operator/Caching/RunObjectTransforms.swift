import KubeAPI
import KubeRuntime

/// What the operator keeps of the Jobs and Pods it caches (one of each per run): exactly the
/// fields `JobObserver` and the reconciler read, so 1,000 cached runs do not hold 1,000 pod specs
/// (containers, env, volumes, security contexts) and Job pod templates.
///
/// Kept for both: the metadata of `CacheTransform.slimMetadata` (name, namespace, uid,
/// resourceVersion, creationTimestamp — the newest pod —, deletionTimestamp, labels — the
/// `codex-k8s.dev/run` index —, ownerReferences). Dropped: `spec`, annotations, finalizers.
/// - Job: `status.conditions` of type `Complete` and `Failed` (type, status, reason, message).
/// - Pod: `status.phase`; the `Ready` condition (its `lastTransitionTime` dates a back-off); per
///   container its name, `state` and `lastState` (waiting reason/message, running, terminated exit
///   code, reason and message). Dropped: image, imageID, containerID, init containers, the other
///   conditions and the pod's own reason/message/startTime.
///
/// The operator never writes Jobs or Pods back (it creates Jobs from its templates and deletes
/// them by name), so the dropped fields are never missed by an update.
public enum RunObjectTransforms {
    public static let job = CacheTransform<Job>.slimMetadata { job in
        var slim = Job(metadata: job.metadata)
        if let status = job.status {
            let conditions = status.conditions?.filter { $0.type == "Complete" || $0.type == "Failed" }
            slim.status = JobStatus(conditions: conditions.map { $0.map(slimCondition) })
        }
        return slim
    }

    public static let pod = CacheTransform<Pod>.slimMetadata { pod in
        var slim = Pod(metadata: pod.metadata)
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

    /// A condition without the fields nothing reads (`lastProbeTime`, `lastUpdateTime`, `observedGeneration`).
    static func slimCondition(_ c: Condition) -> Condition {
        var slim = c
        slim.lastProbeTime = nil
        slim.lastUpdateTime = nil
        slim.observedGeneration = nil
        return slim
    }
}
