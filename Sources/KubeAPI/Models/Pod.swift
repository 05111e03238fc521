

/// A `v1` Pod (the operator reads status to explain failures).
public struct Pod: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "pods",
                                                    kind: "Pod", namespaced: true)

    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Observed pod state.
public struct PodStatus: Codable, Sendable, Hashable {
    public var phase: String?
    public var reason: String?
    public var message: String?
    public var startTime: KubeTime?
    public var conditions: [PodCondition]?
    public var containerStatuses: [ContainerStatus]?
    public var initContainerStatuses: [ContainerStatus]?

    public init(
        phase: String? = nil,
        reason: String? = nil,
        message: String? = nil,
        startTime: KubeTime? = nil,
        conditions: [PodCondition]? = nil,
        containerStatuses: [ContainerStatus]? = nil,
        initContainerStatuses: [ContainerStatus]? = nil
    ) {
        self.phase = phase
        self.reason = reason
        self.message = message
        self.startTime = startTime
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
    }
}

/// Pod conditions share the common condition shape.
public typealias PodCondition = Condition

/// One container's state; `state.waiting.reason` names ImagePullBackOff, CrashLoopBackOff, ...
public struct ContainerStatus: Codable, Sendable, Hashable {
    public var name: String
    public var ready: Bool
    public var restartCount: Int32
    public var started: Bool?
    public var image: String?
    public var imageID: String?
    public var containerID: String?
    public var state: ContainerState?
    public var lastState: ContainerState?

    public init(
        name: String,
        ready: Bool = false,
        restartCount: Int32 = 0,
        started: Bool? = nil,
        image: String? = nil,
        imageID: String? = nil,
        containerID: String? = nil,
        state: ContainerState? = nil,
        lastState: ContainerState? = nil
    ) {
        self.name = name
        self.ready = ready
        self.restartCount = restartCount
        self.started = started
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.state = state
        self.lastState = lastState
    }
}

/// Exactly one of the three is set.
public struct ContainerState: Codable, Sendable, Hashable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(
        waiting: ContainerStateWaiting? = nil,
        running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// Not running yet, with the reason.
public struct ContainerStateWaiting: Codable, Sendable, Hashable {
    public var reason: String?
    public var message: String?

    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// Running since `startedAt`.
public struct ContainerStateRunning: Codable, Sendable, Hashable {
    public var startedAt: KubeTime?

    public init(startedAt: KubeTime? = nil) {
        self.startedAt = startedAt
    }
}

/// Finished with an exit code.
public struct ContainerStateTerminated: Codable, Sendable, Hashable {
    public var exitCode: Int32
    public var signal: Int32?
    public var reason: String?
    public var message: String?
    public var startedAt: KubeTime?
    public var finishedAt: KubeTime?

    public init(
        exitCode: Int32 = 0,
        signal: Int32? = nil,
        reason: String? = nil,
        message: String? = nil,
        startedAt: KubeTime? = nil,
        finishedAt: KubeTime? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
