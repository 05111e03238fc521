// `TapeDecodable` form of the `v1` Namespace (watched by the operator; contract: `TapeDecodable`).

extension Namespace: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`).
    package static let skipPlan: JSONSkipPlan? = .kubeObject()

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), spec: try o.decodeIfPresent("spec"),
                  status: try o.decodeIfPresent("status"))
    }
}

extension NamespaceSpec: TapeDecodable {
    package init(tape: TapeValue) throws {
        self.init(finalizers: try tape.object().stringArrayIfPresent("finalizers"))
    }
}

extension NamespaceStatus: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(phase: try o.stringIfPresent("phase"),
                  conditions: try o.arrayIfPresent("conditions")?.map { try Condition(tape: $0) })
    }
}
