import Testing
@testable import KubeAPI

/// `JSONValue.writeString`: the exact escapes (Go's encoding/json spelling for the short forms,
/// `\u00XX` lowercase for the other control characters), at every position of the string.
@Suite struct JSONStringEscapeTests {
    @Test func escapesEverySpecialByteAnywhere() throws {
        let specials: [String] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{0B}"]
        for special in specials {
            for n in 0..<6 {
                let text = String(repeating: "aé", count: n) + special + String(repeating: "😀b", count: 5 - n) + special
                let bytes = JSONValue.string(text).serialized()
                #expect(try JSONValue(parsing: bytes) == .string(text), "round trip \(text.debugDescription)")
            }
        }
        #expect(JSONValue.string("a\"b\\c\nd\re\tf\u{1}g\u{1F}h").jsonString() == #""a\"b\\c\nd\re\tf\u0001g\u001fh""#)
        #expect(JSONValue.string("").jsonString() == #""""#)
        #expect(JSONValue.string("plain é 😀").jsonString() == "\"plain é 😀\"")
        #expect(JSONValue.string("\u{7F}/").jsonString() == "\"\u{7F}/\"")
    }
}
