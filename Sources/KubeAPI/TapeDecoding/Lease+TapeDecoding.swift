// `TapeDecodable` form of the leader-election Lease (read and renewed every few seconds; contract: `TapeDecodable`).

extension Lease: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`).
    package static let skipPlan: JSONSkipPlan? = .kubeObject()

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), spec: try o.decodeIfPresent("spec"))
    }
}

extension LeaseSpec: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(holderIdentity: try o.stringIfPresent("holderIdentity"),
                  leaseDurationSeconds: try o.int32IfPresent("leaseDurationSeconds"),
                  acquireTime: try o.decodeIfPresent("acquireTime"), renewTime: try o.decodeIfPresent("renewTime"),
                  leaseTransitions: try o.int32IfPresent("leaseTransitions"))
    }
}
