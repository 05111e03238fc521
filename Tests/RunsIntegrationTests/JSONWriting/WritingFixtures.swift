import KubeAPI

/// Fixtures of the Kubernetes models the operator writes: `full` sets every optional and fills
/// every collection (checked by `FixtureCompleteness`), `minimal` sets only what the initializer
/// requires. Strings carry characters that need escaping, numbers the extremes.
enum WritingFixtures {
    static let tricky = "q\"b\\s/\n\r\t\u{1}\u{1F}é✓😀"
    static let time = KubeTime(secondsSince1970: 1_764_979_200)
    static let microTime = MicroTime(secondsSince1970: 1_764_979_200.123456)

    static var meta: ObjectMeta {
        var m = ObjectMeta(name: "name", generateName: "gen-", namespace: "ns", labels: ["a": "b", "k\"\\": tricky],
                           annotations: ["note": tricky, "empty": ""],
                           ownerReferences: [ownerReference], finalizers: ["codex-k8s.dev/cleanup", "x"])
        m.uid = "0f0e-uid"
        m.resourceVersion = "12345"
        m.generation = Int64.max
        m.creationTimestamp = time
        m.deletionTimestamp = KubeTime(secondsSince1970: 0)
        m.deletionGracePeriodSeconds = Int64.min
        return m
    }

    static let ownerReference = OwnerReference(apiVersion: "codex-k8s.dev/v1alpha1", kind: "AgentRun", name: tricky,
                                               uid: "u-1", controller: true, blockOwnerDeletion: false)
    static let minimalOwnerReference = OwnerReference(apiVersion: "v1", kind: "K", name: "n", uid: "u")

    static let condition = Condition(type: "Ready", status: "True", reason: "R", message: tricky, lastTransitionTime: time,
                                     lastProbeTime: KubeTime(secondsSince1970: 1.5, precision: .micro),
                                     lastUpdateTime: time, observedGeneration: -1)

    static let selector = LabelSelector(matchLabels: ["app": "agent"],
                                        matchExpressions: [LabelSelectorRequirement(key: "k", operator: "In", values: ["a", "b"])])

    static let objectReference = ObjectReference(apiVersion: "v1", kind: "Pod", namespace: "ns", name: "p", uid: "u",
                                                 resourceVersion: "7", fieldPath: "spec.containers{agent}")

    static let container = Container(
        name: "agent", image: "ghcr.io/x/agent:1", imagePullPolicy: "IfNotPresent", command: ["/bin/agent"], args: ["--run", tricky],
        workingDir: "/work",
        env: [EnvVar(name: "PLAIN", value: tricky,
                     valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "creds", key: "token", optional: false),
                                             configMapKeyRef: KeySelector(name: "cm", key: "k", optional: true),
                                             fieldRef: ObjectFieldSelector(fieldPath: "metadata.namespace", apiVersion: "v1")))],
        resources: ResourceRequirements(limits: ["cpu": "2", "memory": "4Gi"], requests: ["cpu": "500m"]),
        securityContext: SecurityContext(runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false,
                                         privileged: false, readOnlyRootFilesystem: true,
                                         capabilities: Capabilities(add: ["NET_BIND_SERVICE"], drop: ["ALL"]),
                                         seccompProfile: SeccompProfile(type: "Localhost", localhostProfile: "p.json")),
        volumeMounts: [VolumeMount(name: "work", mountPath: "/work", readOnly: false, subPath: "sub")])

    static func container(named name: String) -> Container {
        var c = container
        c.name = name
        return c
    }

    static let podSpec = PodSpec(
        containers: [container, container(named: "sidecar")], initContainers: [container(named: "init")], restartPolicy: "Never",
        serviceAccountName: "agent", automountServiceAccountToken: false,
        securityContext: PodSecurityContext(runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000,
                                            seccompProfile: SeccompProfile(type: "RuntimeDefault", localhostProfile: "x")),
        volumes: [["name": "work", "emptyDir": ["sizeLimit": "1Gi"]], ["name": "n", "x": [1, 2.5, true, .null, "s"]]],
        nodeSelector: ["kubernetes.io/os": "linux"], activeDeadlineSeconds: 3600, terminationGracePeriodSeconds: 0,
        imagePullSecrets: [LocalObjectReference(name: "pull")], enableServiceLinks: false, nodeName: "node-1")

    static let job = Job(
        metadata: meta,
        spec: JobSpec(template: PodTemplateSpec(metadata: meta, spec: podSpec), backoffLimit: 0, activeDeadlineSeconds: 7200,
                      ttlSecondsAfterFinished: Int32.max, completions: 1, parallelism: Int32.min, suspend: false,
                      selector: selector, manualSelector: true),
        status: JobStatus(active: 1, succeeded: 0, failed: 2, ready: 1, startTime: time, completionTime: time,
                          conditions: [condition]))
    static let minimalJob = Job(spec: JobSpec(template: PodTemplateSpec(spec: PodSpec())))
    static let minimalContainer = Container(name: "c")
    static let minimalPodSpec = PodSpec()

    static let namespace = Namespace(metadata: meta, spec: NamespaceSpec(finalizers: ["kubernetes"]),
                                     status: NamespaceStatus(phase: "Active", conditions: [condition]))

    static let serviceAccount = ServiceAccount(metadata: meta, automountServiceAccountToken: false, secrets: [objectReference],
                                               imagePullSecrets: [LocalObjectReference(name: "pull")])

    static let roleBinding = RoleBinding(metadata: meta,
                                         subjects: [Subject(kind: "ServiceAccount", name: "agent", namespace: "ns", apiGroup: "")],
                                         roleRef: RoleRef(kind: "ClusterRole", name: "codex-k8s-agent-full-env"))
    static let minimalRoleBinding = RoleBinding(roleRef: RoleRef(kind: "Role", name: "r"))

    static let resourceQuota = ResourceQuota(metadata: meta, spec: ResourceQuotaSpec(hard: ["pods": "10"], scopes: ["NotTerminating"]),
                                             status: ResourceQuotaStatus(hard: ["pods": "10"], used: ["pods": "1"]))

    static let limitRange = LimitRange(metadata: meta, spec: LimitRangeSpec(limits: [
        LimitRangeItem(type: "Container", max: ["cpu": "4"], min: ["cpu": "10m"], default: ["cpu": "1"], defaultRequest: ["cpu": "100m"],
                       maxLimitRequestRatio: ["cpu": "10"]),
    ]))

    static let networkPolicy = NetworkPolicy(metadata: meta, spec: NetworkPolicySpec(
        podSelector: selector, policyTypes: ["Ingress", "Egress"],
        ingress: [NetworkPolicyIngressRule(from: [NetworkPolicyPeer(podSelector: selector, namespaceSelector: selector,
                                                                    ipBlock: IPBlock(cidr: "10.0.0.0/8", except: ["10.1.0.0/16"]))],
                                           ports: [NetworkPolicyPort(protocol: "TCP", port: 443, endPort: 450)])],
        egress: [NetworkPolicyEgressRule(to: [NetworkPolicyPeer(podSelector: selector, namespaceSelector: selector,
                                                                ipBlock: IPBlock(cidr: "0.0.0.0/0", except: ["169.254.0.0/16"]))],
                                         ports: [NetworkPolicyPort(protocol: "UDP", port: "dns", endPort: 53)])]))

    static let secret = Secret(metadata: meta, type: "Opaque", data: ["token": "dG9rZW4="], stringData: ["plain": tricky], immutable: true)

    static let event = Event(metadata: meta, eventTime: microTime, series: EventSeries(count: 3, lastObservedTime: microTime),
                             reportingController: "codex-k8s.dev/operator", reportingInstance: "op-0", action: "Provision",
                             reason: "Provisioned", regarding: objectReference, related: objectReference, note: tricky, type: "Normal")

    static let lease = Lease(metadata: meta, spec: LeaseSpec(holderIdentity: "op-0", leaseDurationSeconds: 15, acquireTime: microTime,
                                                             renewTime: MicroTime(secondsSince1970: 0), leaseTransitions: 4))
}
