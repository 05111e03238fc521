import Testing
import TestSupport
@testable import KubeAPI

@Suite("JSON parser and serializer")
struct JSONParserTests {
    @Test("parses every JSON value kind")
    func parsesValues() throws {
        let v = try JSONValue(parsing: #"{"a":[1,-2,3.5,1e3,true,false,null],"b":"x\"\\\/\n\u00e9\ud83d\ude00","c":{}}"#)
        #expect(v["a"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(v["b"] == .string("x\"\\/\né😀"))
        #expect(v["c"] == .object([:]))
    }

    @Test("keeps Int64 exact and falls back to Double beyond it")
    func integers() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9223372036854775808))
    }

    @Test("rejects malformed input with the offending offset",
          arguments: [
              ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 0), ("1.", 2), ("\"\\x\"", 3),
              ("\"a", 2), ("tru", 0), ("{} x", 3), ("\"\u{01}\"", 1), ("\"\\ud800\"", 7), ("-", 1),
          ])
    func rejects(input: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: input) }
        do {
            _ = try JSONValue(parsing: input)
        } catch {
            #expect(error.offset == offset, "input \(input.debugDescription): \(error)")
        }
    }

    @Test("names what was expected where the input went wrong",
          arguments: [
              ("{", 1, "expected a member name"), (#"{"a" 1}"#, 5, "expected ':'"), ("[1 2]", 3, "expected ',' or ']'"),
              (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"), ("[1,]", 3, "unexpected character ']'"),
              ("[1", 2, "unexpected end of input in array"), (#"{"a":1"#, 6, "unexpected end of input in object"),
              ("01", 0, "leading zero in number"), ("1.", 2, "invalid fraction"), ("1e+", 3, "invalid exponent"),
              ("-", 1, "invalid number"), ("nul", 0, "unexpected end of input"), ("nulL", 0, "invalid literal"),
              (#""\x""#, 3, "invalid escape"), (#""\u12G4""#, 5, "invalid hex digit"), (#""\u12"#, 3, "short unicode escape"),
              (#""\ud800""#, 7, "lone high surrogate"), (#""\ud800\u0041""#, 13, "invalid low surrogate"),
              (#""\udc00""#, 7, "lone low surrogate"), ("\"a\u{01}\"", 2, "control character in string"),
              (#""a\"#, 3, "unterminated string"), ("{} x", 3, "unexpected trailing characters"),
          ])
    func rejectsWithReason(input: String, offset: Int, message: String) {
        do {
            _ = try JSONValue(parsing: input)
            Issue.record("accepted \(input.debugDescription)")
        } catch {
            #expect(error.offset == offset && error.message == message, "input \(input.debugDescription): \(error)")
        }
    }

    @Test("finds quotes, escapes and control characters at every position of a long string")
    func longStrings() throws {
        for n in 0..<24 {
            let plain = String(repeating: "aé", count: n / 2) + String(repeating: "b", count: n % 2)
            #expect(try JSONValue(parsing: "\"\(plain)\"") == .string(plain))
            #expect(try JSONValue(parsing: "\"\(plain)\\n\(plain)\"") == .string(plain + "\n" + plain))
            let control = "\"" + plain + "\u{1F}" + plain + "\""
            #expect(throws: JSONParseError(offset: 1 + plain.utf8.count, message: "control character in string")) {
                try JSONValue(parsing: control)
            }
            #expect(throws: JSONParseError(offset: 1 + plain.utf8.count, message: "unterminated string")) {
                try JSONValue(parsing: "\"" + plain)
            }
            // Several special bytes within one 8-byte word, and strings that end mid-word.
            let escapedThenControl = "\"" + plain + "\\\"y\u{1F}z\""
            #expect(throws: JSONParseError(offset: 1 + plain.utf8.count + 3, message: "control character in string")) {
                try JSONValue(parsing: escapedThenControl)
            }
            #expect(try JSONValue(parsing: "[\"\(plain)\",\"\\\\\",\"\(plain)\\\"\"]") == .array([.string(plain), .string("\\"), .string(plain + "\"")]))
        }
    }

    @Test("rejects nesting deeper than the limit")
    func depth() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(parsing: ok)) != nil)
        #expect(try JSONValue(parsing: Array("[[1]]".utf8), maxDepth: 2) == [[1]])
        #expect(throws: JSONParseError(offset: 1, message: "nesting deeper than 1")) {
            try JSONValue(parsing: Array("[[1]]".utf8), maxDepth: 1)
        }
    }

    @Test("serialize then parse is the identity on random documents")
    func roundTrip() throws {
        var rng = SplitMix(seed: 42)
        for _ in 0..<500 {
            let v = randomJSON(&rng, depth: 0)
            let bytes = v.serialized()
            let back = try JSONValue(parsing: bytes)
            #expect(back == v)
            #expect(try JSONValue(parsing: v.serialized(sortedKeys: true)) == v)
        }
    }

    @Test("sorted-key output is stable")
    func sortedKeys() {
        let v: JSONValue = ["b": 1, "a": ["d": true, "c": .null]]
        #expect(v.jsonString(sortedKeys: true) == #"{"a":{"c":null,"d":true},"b":1}"#)
    }

    @Test("agrees with Codable decoding")
    func agreesWithCodable() throws {
        let text = #"{"kind":"Pod","metadata":{"name":"p","generation":3,"labels":{"a":"b"}},"n":1.25}"#
        let viaParser = try JSONValue(parsing: text)
        let viaCodable = try JSONDecoderShim.decode(JSONValue.self, from: Array(text.utf8))
        #expect(viaParser == viaCodable)
    }
}

/// Deterministic PRNG so property tests are reproducible.
func randomString(_ rng: inout SplitMix) -> String {
    let alphabet = Array("abcXYZ09 _-\"\\/\n\t\u{01}éß😀{}[]:,")
    let n = Int.random(in: 0..<12, using: &rng)
    return String((0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
}

func randomJSON(_ rng: inout SplitMix, depth: Int) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
    case 3: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / 64 + 0.5)
    case 4: return .string(randomString(&rng))
    case 5: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        var o: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0..<4, using: &rng) { o[randomString(&rng)] = randomJSON(&rng, depth: depth + 1) }
        return .object(o)
    }
}
