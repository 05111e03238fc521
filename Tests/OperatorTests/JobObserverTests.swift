import KubeAPI
import Operator
import Runs
import Testing

/// Phase from Job and Pod truth, as a table (SPEC §5).
@Suite struct JobObserverTests {
    static func job(_ conditions: [Condition] = []) -> Job {
        Job(metadata: ObjectMeta(name: "r"), spec: nil, status: JobStatus(conditions: conditions))
    }

    static func pod(phase: String, _ status: ContainerStatus, ready: Condition? = nil) -> Pod {
        var meta = ObjectMeta(name: "r-abc")
        meta.uid = "u1"
        return Pod(metadata: meta, status: PodStatus(phase: phase, conditions: ready.map { [$0] }, containerStatuses: [status]))
    }

    static func waiting(_ reason: String) -> ContainerStatus {
        ContainerStatus(name: "agent", state: ContainerState(waiting: ContainerStateWaiting(reason: reason, message: "m")))
    }

    @Test func theJobConditionDecidesOverPods() {
        let running = Self.pod(phase: "Running", ContainerStatus(name: "agent", state: ContainerState(running: ContainerStateRunning())))
        #expect(JobObserver.observe(job: Self.job([Condition(type: "Complete", status: "True")]), pods: [running]) == .succeeded)
        #expect(JobObserver.observe(job: Self.job([Condition(type: "Failed", status: "True", reason: "DeadlineExceeded",
                                                            message: "Job was active longer than specified deadline")]),
                                    pods: []) == .failed(reason: .deadlineExceeded, message: "Job was active longer than specified deadline"))
        let crashed = Self.pod(phase: "Failed", ContainerStatus(name: "agent", state: ContainerState(
            terminated: ContainerStateTerminated(exitCode: 2, reason: "Error", message: "boom"))))
        #expect(JobObserver.observe(job: Self.job([Condition(type: "Failed", status: "True", reason: "BackoffLimitExceeded")]),
                                    pods: [crashed]) == .failed(reason: .jobFailed, message: "container agent exited with code 2 (Error): boom"))
        #expect(JobObserver.observe(job: Self.job([Condition(type: "Complete", status: "False")]), pods: [running]) == .running)
    }

    @Test(arguments: [("ImagePullBackOff", AgentRunReason.imagePullBackOff), ("ErrImagePull", .imagePullBackOff),
                      ("CrashLoopBackOff", .crashLoopBackOff), ("CreateContainerConfigError", .createContainerConfigError)])
    func backOffsAreStuckWithTheKubeletsNotReadyTime(_ reason: String, _ expected: AgentRunReason) {
        let since = KubeTime(secondsSince1970: 1_900_000_000)
        let pod = Self.pod(phase: "Pending", Self.waiting(reason), ready: Condition(type: "Ready", status: "False", lastTransitionTime: since))
        #expect(JobObserver.observe(job: Self.job(), pods: [pod])
            == .stuck(reason: expected, message: "container agent: \(reason): m", since: since, key: "u1/\(expected.rawValue)"))
    }

    @Test func otherWaitingReasonsAndNoPodAreStarting() {
        #expect(JobObserver.observe(job: Self.job(), pods: []) == .starting)
        #expect(JobObserver.observe(job: Self.job(), pods: [Self.pod(phase: "Pending", Self.waiting("ContainerCreating"))]) == .starting)
        // Running phase without a running container (a crash loop between restarts) is not running.
        #expect(JobObserver.observe(job: Self.job(), pods: [Self.pod(phase: "Running", Self.waiting("PodInitializing"))]) == .starting)
    }
}
