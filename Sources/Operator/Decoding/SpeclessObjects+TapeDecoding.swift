import KubeAPI

// `TapeDecodable` forms of the spec-less Job and Pod the operator watches (every Job and Pod
// event of a run). Contract: `TapeDecodable` — the same values and errors as their synthesized
// `init(from:)`: `metadata` required, `status` optional, `spec` and anything else never looked at.

extension SpeclessJob: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), status: try o.decodeIfPresent("status"))
    }
}

extension SpeclessPod: TapeDecodable {
    package init(tape: TapeValue) throws {
        let o = try tape.object()
        self.init(metadata: try o.decode("metadata"), status: try o.decodeIfPresent("status"))
    }
}
