import KubeAPI
import KubeClient
import KubeRuntime
import Runs
import Testing
@testable import Operator

/// What the operator keeps in its caches (issue 10, memory): Jobs and Pods slimmed by
/// `RunObjectTransforms` to what `JobObserver` reads, and one AgentRun cache shared by the AgentRun
/// and RunNamespace controllers.
@Suite(.serialized) struct CacheFootprintTests {
    static let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["a": "b"]),
                                          spec: PodSpec(containers: [Container(name: "agent", image: "ghcr.io/x/agent:1")]))

    static func job(_ conditions: [Condition]) -> Job {
        var meta = ObjectMeta(name: "r", namespace: "ns", labels: [RunLabels.run: "r"], annotations: ["note": "x"],
                              finalizers: ["f"])
        meta.uid = "job-uid"
        meta.resourceVersion = "12"
        return Job(metadata: meta, spec: JobSpec(template: template, backoffLimit: 0),
                   status: JobStatus(active: 1, startTime: KubeTime(secondsSince1970: 1_900_000_000), conditions: conditions))
    }

    static func pod(_ name: String, created: Double, phase: String, _ statuses: [ContainerStatus],
                    ready: Condition? = nil) -> Pod {
        var meta = ObjectMeta(name: name, namespace: "ns", labels: [RunLabels.run: "r"], annotations: ["note": "x"])
        meta.uid = "uid-\(name)"
        meta.creationTimestamp = KubeTime(secondsSince1970: created)
        let conditions = [Condition(type: "PodScheduled", status: "True")] + (ready.map { [$0] } ?? [])
        return Pod(metadata: meta, spec: template.spec,
                   status: PodStatus(phase: phase, reason: "r", message: "m", startTime: KubeTime(secondsSince1970: created),
                                     conditions: conditions, containerStatuses: statuses,
                                     initContainerStatuses: [ContainerStatus(name: "init", image: "busybox")]))
    }

    static func status(_ state: ContainerState, last: ContainerState? = nil) -> ContainerStatus {
        ContainerStatus(name: "agent", ready: state.running != nil, restartCount: 2, started: true, image: "ghcr.io/x/agent:1",
                        imageID: "ghcr.io/x/agent@sha256:" + String(repeating: "a", count: 64),
                        containerID: "containerd://" + String(repeating: "b", count: 64), state: state, lastState: last)
    }

    /// Every kind of observation, on full and on transformed objects: the same answer.
    @Test func transformedJobsAndPodsGiveTheSameObservations() {
        let since = KubeTime(secondsSince1970: 1_900_000_100)
        let running = Self.status(ContainerState(running: ContainerStateRunning(startedAt: since)))
        let crashed = Self.status(ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off")),
                                  last: ContainerState(terminated: ContainerStateTerminated(exitCode: 3, reason: "Error", message: "boom")))
        let notReady = Condition(type: "Ready", status: "False", lastTransitionTime: since)
        let cases: [(Job, [Pod])] = [
            (Self.job([]), []),
            (Self.job([]), [Self.pod("old", created: 1, phase: "Failed", [crashed]), Self.pod("new", created: 2, phase: "Running", [running])]),
            (Self.job([]), [Self.pod("p", created: 1, phase: "Pending", [crashed], ready: notReady)]),
            (Self.job([Condition(type: "SuccessCriteriaMet", status: "True"), Condition(type: "Complete", status: "True")]),
             [Self.pod("p", created: 1, phase: "Succeeded", [running])]),
            (Self.job([Condition(type: "FailureTarget", status: "True"),
                       Condition(type: "Failed", status: "True", reason: "DeadlineExceeded", message: "too long")]), []),
            (Self.job([Condition(type: "Failed", status: "True", reason: "BackoffLimitExceeded")]),
             [Self.pod("p", created: 1, phase: "Failed", [crashed])]),
        ]
        for (job, pods) in cases {
            // The stored forms (`CachedRunObjects`) give back exactly the transformed objects.
            let slimJob = RunObjectTransforms.job.apply(job)
            #expect(CachedRunObjects.job(slimJob) is CachedJob && CachedRunObjects.job(slimJob).value == slimJob)
            for pod in pods.map(RunObjectTransforms.pod.apply) {
                #expect(CachedRunObjects.pod(pod) is CachedPod && CachedRunObjects.pod(pod).value == pod)
            }
            let full = JobObserver.observe(job: job, pods: pods)
            let slim = JobObserver.observe(job: RunObjectTransforms.job.apply(job), pods: pods.map(RunObjectTransforms.pod.apply))
            #expect(full == slim, "\(job.status?.conditions?.map(\.type) ?? []) with \(pods.count) pods")
        }
        // An object with a spec (no transform of ours lets one through) is held whole.
        let withSpec = Self.job([])
        #expect(!(CachedRunObjects.job(withSpec) is CachedJob) && CachedRunObjects.job(withSpec).value == withSpec)
        let podWithSpec = Self.pod("p", created: 1, phase: "Running", [])
        #expect(!(CachedRunObjects.pod(podWithSpec) is CachedPod) && CachedRunObjects.pod(podWithSpec).value == podWithSpec)
        // And what is gone.
        let job = RunObjectTransforms.job.apply(Self.job([Condition(type: "Complete", status: "True", lastProbeTime: since)]))
        #expect(job.spec == nil && job.metadata.annotations == nil && job.metadata.finalizers == nil)
        #expect(job.status == JobStatus(conditions: [Condition(type: "Complete", status: "True")]))
        #expect(job.metadata.labels == [RunLabels.run: "r"] && job.metadata.uid == "job-uid" && job.metadata.resourceVersion == "12")
        var labelled = Self.job([])
        labelled.metadata.labels = [RunLabels.run: "r", RunLabels.managedBy: RunLabels.managedByValue, "job-name": "r", "other": "x"]
        #expect(RunObjectTransforms.job.apply(labelled).metadata.labels == [RunLabels.run: "r", RunLabels.managedBy: RunLabels.managedByValue])
        labelled.metadata.labels = ["other": "x"]
        #expect(RunObjectTransforms.job.apply(labelled).metadata.labels == nil)
        let pod = RunObjectTransforms.pod.apply(Self.pod("p", created: 1, phase: "Running", [running], ready: notReady))
        #expect(pod.spec == nil && pod.metadata.annotations == nil)
        #expect(pod.status?.conditions == [notReady] && pod.status?.initContainerStatuses == nil && pod.status?.message == nil)
        #expect(pod.status?.containerStatuses == [ContainerStatus(name: "agent", ready: true, restartCount: 2, state: running.state)])
        #expect(pod.metadata.creationTimestamp == KubeTime(secondsSince1970: 1) && pod.metadata.uid == "uid-p")
    }

    /// A run provisioned and Running with both controllers wired as the operator command wires
    /// them: the caches hold slim Jobs and Pods, and the AgentRuns are listed once (one cache), not
    /// once per controller.
    @Test func theOperatorCachesSlimJobsAndPodsAndListsAgentRunsOnce() async throws {
        try await OperatorHarness.with { h in
            let r = NamespaceLeaseTests.Running.start(h)
            try await h.createRun("slim-1")
            let provisioning = try await h.waitForPhase("slim-1", .provisioning)
            try await h.podRunning(provisioning)
            _ = try await h.waitForPhase("slim-1", .running)
            let stores = r.op.runtime.reconciler.stores
            try await NamespaceLeaseTests.Running.waitFor("the Running pod cached") {
                stores.pods.list().contains { $0.status?.phase == "Running" }
            }
            let pods = stores.pods.list()
            let jobs = stores.jobs.list()
            #expect(pods.count == 1 && jobs.count == 1)
            #expect(pods.allSatisfy { $0.spec == nil && $0.status?.containerStatuses?.allSatisfy { $0.image == nil } ?? true })
            #expect(jobs.allSatisfy { $0.spec == nil && $0.metadata.labels?[RunLabels.run] == "slim-1" })
            // The Job controller labels its pods (`job-name`, `controller-uid`, …); the cache keeps
            // only the run and managed-by labels, the ones the operator reads.
            let kept = [RunLabels.managedBy: RunLabels.managedByValue, RunLabels.run: "slim-1"]
            let cached = try #require(pods.first)
            let live = try await h.client.get(Pod.self, namespace: cached.metadata.namespace, name: cached.metadata.name ?? "")
            #expect((live.metadata.labels ?? [:]).count > kept.count, "the API's pod carries more labels")
            #expect(cached.metadata.labels == kept)
            #expect(jobs.allSatisfy { $0.metadata.labels == kept })
            #expect(stores.pods.objects(withLabel: RunLabels.run, value: "slim-1").count == 1)
            #expect(r.leases.reconciler.stores.runs === stores.runs, "one AgentRun cache for both controllers")
            if let server = h.server {
                #expect(server.requests.count(verb: "list", resource: "agentruns.codex-k8s.dev") == 1)
            }
            await r.stop()
        }
    }

    /// The Job and Pod sources decode without `spec` (`SpeclessJob`, `SpeclessPod`): through the
    /// API, a LIST page and a MODIFIED watch event give, after the cache transform, exactly what
    /// the full objects give after it.
    @Test func speclessSourcesCacheWhatTheFullObjectsCache() async throws {
        try await OperatorHarness.with { h in
            let ns = h.config.controlNamespace
            let labels = [RunLabels.managedBy: RunLabels.managedByValue, RunLabels.run: "specless"]
            let meta = ObjectMeta(name: "specless", namespace: ns, labels: labels, annotations: ["note": "x"])
            let crashed = Self.status(ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off")),
                                      last: ContainerState(terminated: ContainerStateTerminated(exitCode: 3, reason: "Error")))
            var template = Self.template
            template.spec.restartPolicy = "Never"
            _ = try await h.client.create(Job(metadata: meta, spec: JobSpec(template: template, backoffLimit: 0)))
            var job = try await h.client.get(Job.self, namespace: ns, name: "specless")
            job.status = JobStatus(active: 1, conditions: [Condition(type: "Failed", status: "True", reason: "BackoffLimitExceeded",
                                                                     lastProbeTime: KubeTime(secondsSince1970: 1_900_000_000))])
            _ = try await h.client.replaceStatus(job)
            _ = try await h.client.create(Pod(metadata: meta, spec: template.spec))
            var pod = try await h.client.get(Pod.self, namespace: ns, name: "specless")
            pod.status = PodStatus(phase: "Pending", message: "m", conditions: [Condition(type: "Ready", status: "False")],
                                   containerStatuses: [crashed])
            _ = try await h.client.replaceStatus(pod)

            let jobs = RunObjectTransforms.jobSource(h.client)
            let pods = RunObjectTransforms.podSource(h.client)
            let fullJob = try await h.client.get(Job.self, namespace: ns, name: "specless")
            let fullPod = try await h.client.get(Pod.self, namespace: ns, name: "specless")
            #expect(fullJob.spec != nil && fullPod.spec != nil && fullJob.status?.conditions?.isEmpty == false)
            let jobPage = try await jobs.list(limit: 500, continueToken: nil)
            let podPage = try await pods.list(limit: 500, continueToken: nil)
            let listedJob = try #require(jobPage.items.first { $0.metadata.name == "specless" && $0.metadata.namespace == ns })
            let listedPod = try #require(podPage.items.first { $0.metadata.name == "specless" && $0.metadata.namespace == ns })
            #expect(listedJob.spec == nil && listedPod.spec == nil, "the spec is not decoded")
            #expect(RunObjectTransforms.job.apply(listedJob) == RunObjectTransforms.job.apply(fullJob))
            #expect(RunObjectTransforms.pod.apply(listedPod) == RunObjectTransforms.pod.apply(fullPod))

            // A watch from the page's resourceVersion: the next status write arrives mapped the same way.
            let events = try await pods.watch(resourceVersion: podPage.metadata.resourceVersion ?? "0", timeoutSeconds: 60)
            var changed = fullPod
            changed.status?.phase = "Running"
            changed.status?.containerStatuses = [Self.status(ContainerState(running: ContainerStateRunning(
                startedAt: KubeTime(secondsSince1970: 1_900_000_100))))]
            _ = try await h.client.replaceStatus(changed)
            let after = try await h.client.get(Pod.self, namespace: ns, name: "specless")
            var watched: Pod?
            for try await event in events {
                if case .modified(let p) = event, p.metadata.name == "specless", p.metadata.namespace == ns {
                    watched = p
                    break
                }
            }
            let seen = try #require(watched)
            #expect(seen.spec == nil)
            #expect(RunObjectTransforms.pod.apply(seen) == RunObjectTransforms.pod.apply(after))
            _ = try? await h.client.delete(Pod.self, namespace: ns, name: "specless")
            _ = try? await h.client.delete(Job.self, namespace: ns, name: "specless")
        }
    }
}
