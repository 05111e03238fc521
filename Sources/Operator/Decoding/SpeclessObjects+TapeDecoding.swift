import KubeAPI

// `TapeDecodable` forms of the spec-less Job and Pod the operator watches (every Job and Pod
// event of a run). Contract: `TapeDecodable` — the same values and errors as their synthesized
// `init(from:)`: `metadata` required, `status` optional, `spec` and anything else never looked at.

extension SpeclessJob: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`), nor `spec`.
    package static let skipPlan: JSONSkipPlan? = .kubeObject(skipping: ["spec"])

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), status: try o.decodeIfPresent("status"))
    }
}

extension SpeclessPod: TapeDecodable {
    /// `metadata.managedFields` is never read (`ObjectMeta`), nor `spec`.
    package static let skipPlan: JSONSkipPlan? = .kubeObject(skipping: ["spec"])

    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), status: try o.decodeIfPresent("status"))
    }
}
