import KubeAPI

// `TapeDecodable` forms of the AgentRun status types (contract: `TapeDecodable`).

extension AgentRunStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(phase: try o.decodeIfPresent("phase"), reason: try o.decodeIfPresent("reason"),
                  message: try o.stringIfPresent("message"), model: try o.stringIfPresent("model"),
                  reasoning: try o.decodeIfPresent("reasoning"), profileSource: try o.decodeIfPresent("profileSource"),
                  mode: try o.decodeIfPresent("mode"), namespace: try o.stringIfPresent("namespace"),
                  runNamespace: try o.stringIfPresent("runNamespace"), jobName: try o.stringIfPresent("jobName"),
                  reusedNamespace: try o.boolIfPresent("reusedNamespace"),
                  leaseExpiresAt: try o.timeIfPresent("leaseExpiresAt"), startedAt: try o.timeIfPresent("startedAt"),
                  finishedAt: try o.timeIfPresent("finishedAt"), waitedSeconds: try o.int64IfPresent("waitedSeconds"),
                  observedGeneration: try o.int64IfPresent("observedGeneration"),
                  conditions: try o.arrayIfPresent("conditions")?.map { try Condition(tape: $0) },
                  report: try o.decodeIfPresent("report"))
    }
}

extension AgentRunReason: TapeDecodable {
    /// An open set: any string (custom `init(from:)`).
    package init(tape: TapeValue) throws { self.init(rawValue: try tape.string()) }
}

extension ProfileSources: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(model: try o.decodeIfPresent("model"), reasoning: try o.decodeIfPresent("reasoning"))
    }
}

extension AgentRunReport: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(commentID: try o.int64IfPresent("commentID"),
                  targets: try o.arrayIfPresent("targets")?.map { try ReportedState(tape: $0) })
    }
}

extension ReportedState: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(target: try o.decode("target"), state: try o.string("state"))
    }
}

extension AgentRunPhase: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension ProfileSource: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
extension ReportTarget: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
