import KubeAPI

extension TapeDecodable where Self: RawRepresentable, RawValue == String {
    /// What the synthesized `init(from:)` of a `String`-backed enum does: a string, else
    /// `.typeMismatch`; an unknown case → `.dataCorrupted` at the value's path. Here rather than in
    /// KubeAPI so that it is specialized for each enum (a generic call across modules would look up
    /// `Optional<Self>`'s metadata on every value).
    init(rawValueTape tape: TapeValue) throws {
        let raw = try tape.string()
        guard let value = Self(rawValue: raw) else { throw tape.invalidRawValue(Self.self, raw) }
        self = value
    }
}
