import Testing

/// The differential tests' comparison: member order does not count, anything else does.
@Suite struct CanonicalJSONTests {
    static func canon(_ s: String) throws -> String {
        String(decoding: try CanonicalJSON.canonical(Array(s.utf8)), as: UTF8.self)
    }

    @Test func memberOrderDoesNotCount() throws {
        #expect(try Self.canon(#"{"b":1,"a":{"y":[{"q":1,"p":2}],"x":"s"}}"#) == #"{"a":{"x":"s","y":[{"p":2,"q":1}]},"b":1}"#)
        #expect(try Self.canon(#" { "a" : [ 1 , 2 ] } "#) == #"{"a":[1,2]}"#)
        #expect(try Self.canon("{}") == "{}")
        #expect(try Self.canon("[]") == "[]")
    }

    @Test func everythingElseCounts() throws {
        // A missing member, an array's order, a string's escaping, a number's spelling.
        #expect(try Self.canon(#"{"a":1,"b":2}"#) != Self.canon(#"{"a":1}"#))
        #expect(try Self.canon("[1,2]") != Self.canon("[2,1]"))
        #expect(try Self.canon(#"["\u001F"]"#) != Self.canon(#"["\u001f"]"#))
        #expect(try Self.canon(#"["\/"]"#) != Self.canon(#"["/"]"#))
        #expect(try Self.canon("[1]") != Self.canon("[1.0]"))
        #expect(try Self.canon(#"{"a":null}"#) != Self.canon("{}"))
    }

    @Test func repeatedKeysAndMalformedTextAreRejected() {
        #expect(throws: CanonicalJSON.Invalid.self) { try CanonicalJSON.canonical(Array(#"{"a":1,"a":1}"#.utf8)) }
        #expect(throws: CanonicalJSON.Invalid.self) { try CanonicalJSON.canonical(Array(#"{"a":1"#.utf8)) }
        #expect(throws: CanonicalJSON.Invalid.self) { try CanonicalJSON.canonical(Array("[1] x".utf8)) }
    }
}
