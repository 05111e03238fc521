import KubeAPI
import Testing

/// RFC 6902 (KubeAPI/JSONPatch.swift), including the RFC's own examples.
struct JSONPatchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var doc: JSONValue
        var patch: JSONValue
        var expected: JSONValue?
        var testDescription: String { patch.jsonString() }
    }

    static let cases: [Case] = [
        Case(doc: ["foo": "bar"], patch: [["op": "add", "path": "/baz", "value": "qux"]], expected: ["foo": "bar", "baz": "qux"]),
        Case(doc: ["foo": ["bar", "baz"]], patch: [["op": "add", "path": "/foo/1", "value": "qux"]], expected: ["foo": ["bar", "qux", "baz"]]),
        Case(doc: ["foo": ["bar"]], patch: [["op": "add", "path": "/foo/-", "value": "x"]], expected: ["foo": ["bar", "x"]]),
        Case(doc: ["baz": "qux", "foo": "bar"], patch: [["op": "remove", "path": "/baz"]], expected: ["foo": "bar"]),
        Case(doc: ["foo": ["bar", "qux", "baz"]], patch: [["op": "remove", "path": "/foo/1"]], expected: ["foo": ["bar", "baz"]]),
        Case(doc: ["baz": "qux"], patch: [["op": "replace", "path": "/baz", "value": "boo"]], expected: ["baz": "boo"]),
        Case(doc: ["foo": ["bar": "baz", "waldo": "fred"], "qux": ["corge": "grault"]],
             patch: [["op": "move", "from": "/foo/waldo", "path": "/qux/thud"]],
             expected: ["foo": ["bar": "baz"], "qux": ["corge": "grault", "thud": "fred"]]),
        Case(doc: ["a": ["b": 1]], patch: [["op": "copy", "from": "/a", "path": "/c"]], expected: ["a": ["b": 1], "c": ["b": 1]]),
        Case(doc: ["a/b": 1, "m~n": 2], patch: [["op": "replace", "path": "/a~1b", "value": 3], ["op": "remove", "path": "/m~0n"]],
             expected: ["a/b": 3]),
        Case(doc: ["baz": "qux"], patch: [["op": "test", "path": "/baz", "value": "bar"]], expected: nil),
        Case(doc: ["foo": "bar"], patch: [["op": "add", "path": "/baz/bat", "value": "qux"]], expected: nil),
        Case(doc: ["foo": "bar"], patch: [["op": "remove", "path": "/nope"]], expected: nil),
        Case(doc: ["foo": ["a"]], patch: [["op": "add", "path": "/foo/5", "value": 1]], expected: nil),
        Case(doc: ["a": ["b": 1]], patch: [["op": "move", "from": "/a", "path": "/a/b/c"]], expected: nil),
        Case(doc: ["a": 1], patch: [["op": "frobnicate", "path": "/a"]], expected: nil),
        Case(doc: ["a": 1], patch: ["op": "add"], expected: nil),
    ]

    @Test(arguments: cases)
    func applies(_ c: Case) {
        let result = try? c.doc.applyingJSONPatch(c.patch)
        #expect(result == c.expected)
    }
}
