/// Fully populated documents (every optional present, every collection non-empty, plus members the
/// models do not know) and minimal ones for the differential tests of the `TapeDecodable` models.
enum TapeFixtures {
    static let time = #""2024-05-01T10:00:00Z""#
    static let micro = #""2024-05-01T10:00:00.123456Z""#

    static let condition = #"""
    {"type":"Ready","status":"True","reason":"Done","message":"all good","lastTransitionTime":\#(time),
     "lastProbeTime":\#(time),"lastUpdateTime":"2024-05-01T10:00:01+02:00","observedGeneration":4,"extra":{"x":[1]}}
    """#

    static let metadata = #"""
    {"name":"run-1","generateName":"run-","namespace":"codex","uid":"u-1","resourceVersion":"42","generation":3,
     "creationTimestamp":\#(time),"deletionTimestamp":\#(time),"deletionGracePeriodSeconds":30,
     "labels":{"app":"codex","tier":"x"},"annotations":{"note":"a \"quoted\" \u00e9 value"},
     "ownerReferences":[{"apiVersion":"v1","kind":"Thing","name":"owner","uid":"o-1","controller":true,"blockOwnerDeletion":false}],
     "finalizers":["codex-k8s.dev/cleanup"],"managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}]}
    """#

    static let agentRunSpec = #"""
    {"repository":"o/r","issue":12,"pullRequest":34,"stage":"dev","revise":true,"mode":"full-env","model":"o3",
     "reasoning":"extra-high","labels":[{"name":"run:dev","scope":"issue"},{"name":"[ai-model-o3]","scope":"pullRequest"}],
     "debug":true,"timeout":"1h30m",
     "agent":{"image":"img:1","command":["/bin/agent"],"args":["--x"],"env":[{"name":"A","value":"1"}],
              "resources":{"requests":{"cpu":"500m","memory":2},"limits":{"cpu":1.5,"memory":"1Gi"}}},
     "cancel":false,
     "trigger":{"source":"github","deliveryID":"d-1","event":"issues","action":"labeled","label":"run:dev","sender":"octo",
                "receivedAt":\#(time)}}
    """#

    static let agentRunStatus = #"""
    {"phase":"Running","reason":"SomeNewReason","message":"m","model":"o3","reasoning":"low",
     "profileSource":{"model":"spec","reasoning":"default"},"mode":"code-only","namespace":"ns","runNamespace":"ns",
     "jobName":"job","reusedNamespace":true,"leaseExpiresAt":\#(time),"startedAt":\#(time),"finishedAt":\#(time),
     "waitedSeconds":5,"observedGeneration":3,"conditions":[\#(condition)],
     "report":{"commentID":99,"targets":[{"target":"comment","state":"Running"},{"target":"needInput","state":"x"}]}}
    """#

    static let agentRun = #"""
    {"apiVersion":"codex-k8s.dev/v1alpha1","kind":"AgentRun","metadata":\#(metadata),"spec":\#(agentRunSpec),
     "status":\#(agentRunStatus)}
    """#
    static let agentRunMinimal = #"{"metadata":{},"spec":{"repository":"o/r","issue":1,"stage":"qa"}}"#

    static let runNamespace = #"""
    {"apiVersion":"codex-k8s.dev/v1alpha1","kind":"RunNamespace","metadata":\#(metadata),
     "spec":{"repository":"o/r","issue":12,"stage":"dev","role":"dev","mode":"full-env","ttl":"24h","retain":true},
     "status":{"phase":"Active","leaseExpiresAt":\#(time),"leaseRenewedAt":\#(time),"renewals":2,"activeRuns":["run-1"],
               "lastRun":"run-1","conditions":[\#(condition)]}}
    """#
    static let runNamespaceMinimal = #"""
    {"metadata":{},"spec":{"repository":"o/r","issue":1,"stage":"qa","role":"qa","mode":"code-only","ttl":"90s"}}
    """#

    static let namespace = #"""
    {"apiVersion":"v1","kind":"Namespace","metadata":\#(metadata),"spec":{"finalizers":["kubernetes"]},
     "status":{"phase":"Active","conditions":[\#(condition)]}}
    """#
    static let namespaceMinimal = #"{"metadata":{}}"#

    static let status = #"""
    {"kind":"Status","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"c","remainingItemCount":3},
     "status":"Failure","message":"gone","reason":"Expired",
     "details":{"name":"n","group":"g","kind":"k","uid":"u","causes":[{"reason":"r","message":"m","field":"f"}],
                "retryAfterSeconds":2},"code":410}
    """#

    static let lease = #"""
    {"metadata":\#(metadata),"spec":{"holderIdentity":"op-1","leaseDurationSeconds":15,"acquireTime":\#(micro),
     "renewTime":\#(micro),"leaseTransitions":1}}
    """#

    static let jobStatus = #"""
    {"active":1,"succeeded":2,"failed":3,"ready":1,"startTime":\#(time),"completionTime":\#(time),"conditions":[\#(condition)]}
    """#

    static let containerState = #"""
    {"waiting":{"reason":"ImagePullBackOff","message":"m"},"running":{"startedAt":\#(time)},
     "terminated":{"exitCode":1,"signal":9,"reason":"Error","message":"m","startedAt":\#(time),"finishedAt":\#(time)}}
    """#
    static let containerStatus = #"""
    {"name":"agent","ready":true,"restartCount":2,"started":true,"image":"img","imageID":"id","containerID":"c",
     "state":\#(containerState),"lastState":\#(containerState)}
    """#
    static let podStatus = #"""
    {"phase":"Running","reason":"r","message":"m","startTime":\#(time),"conditions":[\#(condition)],
     "containerStatuses":[\#(containerStatus)],"initContainerStatuses":[\#(containerStatus)]}
    """#

    /// A Job and a Pod as the API serves them (with a `spec` the spec-less forms skip).
    static let job = #"""
    {"apiVersion":"batch/v1","kind":"Job","metadata":\#(metadata),
     "spec":{"template":{"spec":{"containers":[{"name":"agent","image":"img"}],"restartPolicy":"Never"}},"backoffLimit":0},
     "status":\#(jobStatus)}
    """#
    static let pod = #"""
    {"apiVersion":"v1","kind":"Pod","metadata":\#(metadata),"spec":{"containers":[{"name":"agent","image":"img"}]},
     "status":\#(podStatus)}
    """#
}
