// `TapeDecodable` forms of a Pod's status (the operator decodes Pods without `spec`; contract: `TapeDecodable`).

extension PodStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(phase: try o.stringIfPresent("phase"), reason: try o.stringIfPresent("reason"),
                  message: try o.stringIfPresent("message"), startTime: try o.timeIfPresent("startTime"),
                  conditions: try o.arrayIfPresent("conditions")?.map { try Condition(tape: $0) },
                  containerStatuses: try o.arrayIfPresent("containerStatuses")?.map { try ContainerStatus(tape: $0) },
                  initContainerStatuses: try o.arrayIfPresent("initContainerStatuses")?.map { try ContainerStatus(tape: $0) })
    }
}

extension ContainerStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(name: try o.string("name"), ready: try o.bool("ready"), restartCount: try o.int32("restartCount"),
                  started: try o.boolIfPresent("started"), image: try o.stringIfPresent("image"),
                  imageID: try o.stringIfPresent("imageID"), containerID: try o.stringIfPresent("containerID"),
                  state: try o.decodeIfPresent("state"), lastState: try o.decodeIfPresent("lastState"))
    }
}

extension ContainerState: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(waiting: try o.decodeIfPresent("waiting"), running: try o.decodeIfPresent("running"),
                  terminated: try o.decodeIfPresent("terminated"))
    }
}

extension ContainerStateWaiting: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(reason: try o.stringIfPresent("reason"), message: try o.stringIfPresent("message"))
    }
}

extension ContainerStateRunning: TapeDecodable {
    package init(tape: TapeValue) throws {
        self.init(startedAt: try tape.object().timeIfPresent("startedAt"))
    }
}

extension ContainerStateTerminated: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(exitCode: try o.int32("exitCode"), signal: try o.int32IfPresent("signal"),
                  reason: try o.stringIfPresent("reason"), message: try o.stringIfPresent("message"),
                  startedAt: try o.timeIfPresent("startedAt"), finishedAt: try o.timeIfPresent("finishedAt"))
    }
}
