import Testing
import TestSupport
import KubeAPI

@Suite("JSON merge patch (RFC 7386)")
struct MergePatchTests {
    /// The examples of RFC 7386 Appendix A.
    @Test("RFC 7386 appendix A", arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func appendixA(original: String, patch: String, result: String) throws {
        let applied = try JSONValue(parsing: original).applyingMergePatch(try JSONValue(parsing: patch))
        #expect(applied == (try JSONValue(parsing: result)))
    }

    @Test("a computed patch turns old into new (property, null-free documents)")
    func diffThenApply() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<500 {
            let a = stripNulls(randomJSON(&rng, depth: 0))
            let b = stripNulls(randomJSON(&rng, depth: 0))
            let patch = JSONValue.mergePatch(from: a, to: b)
            let result = patch.map { a.applyingMergePatch($0) } ?? a
            #expect(result == b)
        }
    }

    @Test("equal documents give no patch; a removed member becomes null")
    func minimal() throws {
        let a: JSONValue = ["metadata": ["labels": ["x": "1", "y": "2"]], "spec": ["n": 1]]
        #expect(JSONValue.mergePatch(from: a, to: a) == nil)
        var b = a
        b.set(path: ["metadata", "labels", "y"], to: nil)
        #expect(JSONValue.mergePatch(from: a, to: b) == ["metadata": ["labels": ["y": .null]]])
    }

    func stripNulls(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o): return .object(o.filter { $0.value != .null }.mapValues(stripNulls))
        case .array(let a): return .array(a.map(stripNulls))
        case .null: return .int(0)
        default: return v
        }
    }
}
