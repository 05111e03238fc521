// Object members as synthesized `Encodable` conformances write them.

extension JSONWriter {
    /// A member; `value` as its conformance writes it.
    @inlinable public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T) {
        key(name)
        value.writeJSON(into: &self)
    }

    /// A member that is omitted when `value` is `nil` (synthesized `encodeIfPresent`).
    @inlinable public mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        key(name)
        value.writeJSON(into: &self)
    }

    /// A `RawRepresentable` string member (the CRDs' enums), omitted when `nil`.
    @inlinable public mutating func field<T: RawRepresentable>(_ name: StaticString, raw value: T?) where T.RawValue == String {
        guard let value else { return }
        key(name)
        string(value.rawValue)
    }
}
