import KubeAPI

// `TapeDecodable` forms of the RunNamespace (watched by two controllers; contract: `TapeDecodable`).

extension RunNamespace: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`).
    package static let skipPlan: JSONSkipPlan? = .kubeObject()

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), spec: try o.decode("spec"), status: try o.decodeIfPresent("status"))
    }
}

extension RunNamespaceSpec: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(repository: try o.string("repository"), issue: try o.int64("issue"), stage: try o.decode("stage"),
                  role: try o.decode("role"), mode: try o.decode("mode"), ttl: try o.decode("ttl"),
                  retain: try o.boolIfPresent("retain"))
    }
}

extension RunNamespaceStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(phase: try o.decodeIfPresent("phase"), leaseExpiresAt: try o.timeIfPresent("leaseExpiresAt"),
                  leaseRenewedAt: try o.timeIfPresent("leaseRenewedAt"), renewals: try o.int64IfPresent("renewals"),
                  activeRuns: try o.stringArrayIfPresent("activeRuns"), lastRun: try o.stringIfPresent("lastRun"),
                  conditions: try o.arrayIfPresent("conditions")?.map { try Condition(tape: $0) })
    }
}

extension RunNamespacePhase: TapeDecodable {
    package init(tape: TapeValue) throws { try self.init(rawValueTape: tape) }
}
