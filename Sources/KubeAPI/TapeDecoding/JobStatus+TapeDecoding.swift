// `TapeDecodable` form of a Job's status (the operator decodes Jobs without `spec`; contract: `TapeDecodable`).

extension JobStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(active: try o.int32IfPresent("active"), succeeded: try o.int32IfPresent("succeeded"),
                  failed: try o.int32IfPresent("failed"), ready: try o.int32IfPresent("ready"),
                  startTime: try o.timeIfPresent("startTime"), completionTime: try o.timeIfPresent("completionTime"),
                  conditions: try o.arrayIfPresent("conditions")?.map { try Condition(tape: $0) })
    }
}
