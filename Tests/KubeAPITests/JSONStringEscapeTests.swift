import Testing
import TestSupport
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

    /// The word-at-a-time search for the next byte to escape against the byte loop it replaced:
    /// the same text for strings of every length up to three words and a tail, with special bytes
    /// (and the bytes next to them: 0x1F/0x20, 0x21/0x23, 0x5B/0x5D, 0x7F–0xFF) at every position.
    @Test func wordAtATimeMatchesTheByteLoop() {
        var rng = SplitMix(seed: 0x5EA1)
        let alphabet: [UInt8] = [0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x00, 0x01, 0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x41, 0x7A]
        for length in 0..<30 {
            for _ in 0..<200 {
                var bytes = (0..<length).map { _ in rng.next() % 3 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(0x61 + rng.next() % 26) }
                if length > 0, rng.next() % 4 == 0 {  // a multi-byte scalar somewhere (é)
                    let at = Int(rng.next() % UInt64(length))
                    bytes.replaceSubrange(at..<at + 1, with: [0xC3, 0xA9])
                }
                let text = String(decoding: bytes, as: UTF8.self)
                var out: [UInt8] = []
                JSONValue.writeString(text, into: &out)
                #expect(out == Self.byteLoop(text), "\(text.debugDescription)")
            }
        }
    }

    /// The escaping as the byte loop wrote it before the word-at-a-time search.
    static func byteLoop(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case ..<0x20: out += [0x5C, UInt8(ascii: "u"), 48, 48] + Array(String(format2: b).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
        return out
    }
}

private extension String {
    /// Two lowercase hex digits.
    init(format2 b: UInt8) { self = (b < 16 ? "0" : "") + String(b, radix: 16) }
}
