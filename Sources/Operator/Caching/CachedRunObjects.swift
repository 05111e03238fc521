import KubeAPI
import KubeRuntime

/// How the operator's caches hold their Jobs and Pods: metadata and status only. `RunObjectTransforms`
/// drops `spec` from every cached Job and Pod, but the models keep its inline size (a `Job` is 720
/// bytes, a `Pod` 488, nil spec or not); these boxes hold the 250–265 bytes of the rest and
/// rebuild the object on read (`CacheTransform.storing`).
///
/// Contract: lossless — `box(object).value == object` for every object; one that has a spec (no
/// transform of ours lets one through) is boxed whole.
enum CachedRunObjects {
    static func job(_ job: Job) -> CachedObject<Job> { job.spec == nil ? CachedJob(job) : .whole(job) }

    static func pod(_ pod: Pod) -> CachedObject<Pod> { pod.spec == nil ? CachedPod(pod) : .whole(pod) }
}

/// A spec-less Job's metadata and status.
final class CachedJob: CachedObject<Job>, @unchecked Sendable {
    let metadata: ObjectMeta
    let status: JobStatus?

    init(_ job: Job) {
        metadata = job.metadata
        status = job.status
        super.init()
    }

    override var value: Job { Job(metadata: metadata, status: status) }
}

/// A spec-less Pod's metadata and status.
final class CachedPod: CachedObject<Pod>, @unchecked Sendable {
    let metadata: ObjectMeta
    let status: PodStatus?

    init(_ pod: Pod) {
        metadata = pod.metadata
        status = pod.status
        super.init()
    }

    override var value: Pod { Pod(metadata: metadata, status: status) }
}
