// `TapeDecodable` form of the common status condition (contract: `TapeDecodable`).

extension Condition: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(type: try o.string("type"), status: try o.string("status"), reason: try o.stringIfPresent("reason"),
                  message: try o.stringIfPresent("message"),
                  lastTransitionTime: try o.timeIfPresent("lastTransitionTime"),
                  lastProbeTime: try o.timeIfPresent("lastProbeTime"),
                  lastUpdateTime: try o.timeIfPresent("lastUpdateTime"),
                  observedGeneration: try o.int64IfPresent("observedGeneration"))
    }
}
