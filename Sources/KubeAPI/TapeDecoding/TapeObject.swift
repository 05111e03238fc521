/// A JSON object on the tape, read member by member by `TapeDecodable` initialisers.
///
/// Contract: what a keyed container of `JSONBytesDecoder` does — a member is found by its exact
/// name (escaped names compare unescaped; of duplicates the first wins; unknown members are never
/// looked at). The required readers throw `.keyNotFound` (path: this object's) for an absent member
/// and `.typeMismatch` for `null` or a wrong kind; the `…IfPresent` readers return `nil` for an
/// absent or `null` member and throw `.typeMismatch` for a wrong kind.
package struct TapeObject {
    let view: JSONTapeView
    let index: Int

    init(_ view: JSONTapeView, _ index: Int) {
        self.view = view
        self.index = index
    }

    /// The first member named `name`, `null` included.
    package func member(_ name: StaticString) -> TapeValue? {
        let object = view.tokens[index]
        let n = name.utf8CodeUnitCount
        // The object's set of name lengths rules most absent names out without a scan.
        guard object.nameLengths & (1 &<< (n & 15)) != 0 else { return nil }
        let key = name.utf8Start
        var i = index + 1
        let end = Int(object.next)
        while i < end {
            let t = view.tokens[i]
            if t.flag {
                if view.string(t).utf8.elementsEqual(UnsafeBufferPointer(start: key, count: n)) { return TapeValue(view, i + 1) }
            } else if Int(t.end - t.start) == n {
                let bytes = view.bytes + Int(t.start)
                var k = 0
                while k < n, bytes[k] == key[k] { k += 1 }
                if k == n { return TapeValue(view, i + 1) }
            }
            i = Int(view.tokens[i + 1].next)
        }
        return nil
    }

    /// The member `name`, or `.keyNotFound`.
    package func required(_ name: StaticString) throws -> TapeValue {
        guard let v = member(name) else {
            let key = TapeKey(name.description)
            throw DecodingError.keyNotFound(key, .init(codingPath: view.keyPath(to: index),
                                                       debugDescription: "missing \"\(name)\""))
        }
        return v
    }

    /// The member `name` unless it is absent or `null`.
    package func present(_ name: StaticString) -> TapeValue? {
        guard let v = member(name), !v.isNull else { return nil }
        return v
    }

    package func string(_ name: StaticString) throws -> String { try required(name).string() }
    package func bool(_ name: StaticString) throws -> Bool { try required(name).bool() }
    package func int64(_ name: StaticString) throws -> Int64 { try required(name).int64() }
    package func int32(_ name: StaticString) throws -> Int32 { try required(name).int32() }
    package func object(_ name: StaticString) throws -> TapeObject { try required(name).object() }
    package func decode<T: TapeDecodable>(_ name: StaticString, as type: T.Type = T.self) throws -> T {
        try T(tape: required(name))
    }

    package func stringIfPresent(_ name: StaticString) throws -> String? { try present(name)?.string() }
    package func boolIfPresent(_ name: StaticString) throws -> Bool? { try present(name)?.bool() }
    package func int64IfPresent(_ name: StaticString) throws -> Int64? { try present(name)?.int64() }
    package func int32IfPresent(_ name: StaticString) throws -> Int32? { try present(name)?.int32() }
    package func intIfPresent(_ name: StaticString) throws -> Int? { try present(name)?.int() }
    package func timeIfPresent(_ name: StaticString) throws -> KubeTime? { try present(name)?.time() }
    package func stringMapIfPresent(_ name: StaticString) throws -> [String: String]? { try present(name)?.stringMap() }
    package func stringArrayIfPresent(_ name: StaticString) throws -> [String]? { try present(name)?.stringArray() }
    /// An optional array member, its elements for `map { try T(tape: $0) }` (not an array → `.typeMismatch`).
    package func arrayIfPresent(_ name: StaticString) throws -> TapeArray? { try present(name)?.array() }
    package func objectIfPresent(_ name: StaticString) throws -> TapeObject? { try present(name)?.object() }
    package func decodeIfPresent<T: TapeDecodable>(_ name: StaticString, as type: T.Type = T.self) throws -> T? {
        guard let v = present(name) else { return nil }
        return try T(tape: v)
    }

    /// The members in document order (duplicates included), as (name, value).
    package var members: Members { Members(view: view, index: index) }

    package struct Members: Sequence {
        let view: JSONTapeView
        let index: Int

        package var underestimatedCount: Int { Int(view.tokens[index].count) }

        package func makeIterator() -> Iterator {
            Iterator(view: view, position: index + 1, end: Int(view.tokens[index].next))
        }

        package struct Iterator: IteratorProtocol {
            let view: JSONTapeView
            var position: Int
            let end: Int

            package mutating func next() -> (name: String, value: TapeValue)? {
                guard position < end else { return nil }
                let name = view.string(view.tokens[position])
                let value = TapeValue(view, position + 1)
                position = Int(view.tokens[position + 1].next)
                return (name, value)
            }
        }
    }
}
