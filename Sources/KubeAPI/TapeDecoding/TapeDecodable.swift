/// A model that decodes itself straight from a parsed `JSONTape`, without `Codable`'s machinery
/// (no `Decoder`/container existentials, no generic-metadata lookups, no boxes per nested object).
///
/// `JSONBytesDecoder` and `WatchEventDecoder` (KubeClient) take this path when the decoded type
/// conforms, and `init(from:)` otherwise.
///
/// Contract: `init(tape:)` is observably the same decoding as the type's `init(from:)` run by
/// `JSONBytesDecoder`: the same value for every document, and for bad input the same
/// `DecodingError` case at the same coding path (wrong JSON type → `.typeMismatch`, required member
/// absent → `.keyNotFound` naming the member, bad enum/time/duration text → `.dataCorrupted`).
/// Members are decoded in declaration order (so the first fault reported is the same), unknown
/// members are ignored, `null` or an absent member reads as `nil` for optionals, and of duplicate
/// member names the first occurrence wins. Differential tests hold every conformance to this.
package protocol TapeDecodable: Decodable, SendableMetatype {
    /// Decodes the value at `tape` (any JSON kind; implementations check it).
    init(tape: TapeValue) throws

    /// What `init(tape:)` never reads when this type is the document's root (the whole answer of
    /// a request, a watch event's `object`), for `JSONTape(parsing:skipping:)`; `nil` (the
    /// default): scan everything. A stored constant (read per document). Contract: `JSONSkipPlan`
    /// — decoding with the plan gives the same value or the same error as without it.
    static var skipPlan: JSONSkipPlan? { get }
}

extension TapeDecodable {
    package static var skipPlan: JSONSkipPlan? { nil }
}

extension JSONTape {
    /// Decodes the whole document (token 0) as `T` without `Codable`.
    package func decode<T: TapeDecodable>(_ type: T.Type) throws -> T {
        try withView { try T(tape: TapeValue($0, 0)) }
    }
}
