import KubeAPI
import KubeClient
import KubeRuntime

/// The decoding forms of the Jobs and Pods the operator caches: metadata and status only. The
/// `spec` of a watched Job or Pod (a whole pod template: containers, env, volumes, security
/// contexts) is skipped by the decoder instead of being decoded into objects that
/// `RunObjectTransforms` drops right after — most of the bytes of such an event.
///
/// Contract: `MappedListWatch(source) { $0.whole }` followed by `RunObjectTransforms.job`/`.pod`
/// caches exactly what the full model followed by the same transform caches (neither keeps
/// `spec`). Never written: the operator writes Jobs from its own templates, never these.
struct SpeclessJob: KubeResource {
    static var resource: ResourceDescriptor { Job.resource }
    var metadata: ObjectMeta
    var status: JobStatus?

    var whole: Job { Job(metadata: metadata, status: status) }
}

/// The Pod form of `SpeclessJob`.
struct SpeclessPod: KubeResource {
    static var resource: ResourceDescriptor { Pod.resource }
    var metadata: ObjectMeta
    var status: PodStatus?

    var whole: Pod { Pod(metadata: metadata, status: status) }
}

extension RunObjectTransforms {
    /// The Jobs labelled as the operator's, decoded without their `spec` (see `SpeclessJob`).
    static func jobSource(_ client: KubeClient) -> MappedListWatch<KubeClientListWatch<SpeclessJob>, Job> {
        MappedListWatch(KubeClientListWatch<SpeclessJob>(client: client, labelSelector: RunLabels.managedSelector)) { $0.whole }
    }

    /// The Pods labelled as the operator's, decoded without their `spec` (see `SpeclessPod`).
    static func podSource(_ client: KubeClient) -> MappedListWatch<KubeClientListWatch<SpeclessPod>, Pod> {
        MappedListWatch(KubeClientListWatch<SpeclessPod>(client: client, labelSelector: RunLabels.managedSelector)) { $0.whole }
    }
}
