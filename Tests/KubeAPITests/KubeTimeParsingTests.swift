import Testing
@testable import KubeAPI

/// `KubeTime(rfc3339:)` parses the string's UTF-8 bytes in place (`init?(rfc3339UTF8:)`, which the
/// tape decoders call on a document's bytes) instead of copying them into an array: against the
/// former parser, kept here as the reference, for valid times, every single-byte change of them,
/// truncations, and random strings over the grammar's alphabet.
@Suite struct KubeTimeParsingTests {
    /// The parser before this change, verbatim.
    static func reference(_ s: String) -> KubeTime? {
        var u = Array(s.utf8)
        guard u.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                guard i < u.count, u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        if u[10] == UInt8(ascii: "t") || u[10] == UInt8(ascii: " ") { u[10] = UInt8(ascii: "T") }
        guard let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2),
              u[10] == UInt8(ascii: "T"), let h = num(11, 2), u[13] == 58, let mi = num(14, 2),
              u[16] == 58, let sec = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 61
        else { return nil }
        var i = 19
        var frac = 0.0
        var micro = false
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 {
                frac += Double(u[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
            micro = true
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
            i += 1
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            let sign = u[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = num(i + 1, 2), i + 3 < u.count, u[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let days = KubeTime.daysFromCivil(y, mo, d)
        let whole = days * 86400 + h * 3600 + mi * 60 + sec - offset
        return KubeTime(secondsSince1970: Double(whole) + frac, precision: micro ? .micro : .seconds)
    }

    static func same(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = KubeTime(rfc3339: s)
        let want = Self.reference(s)
        #expect(got?.secondsSince1970 == want?.secondsSince1970 && got?.precision == want?.precision, "\(s)",
                sourceLocation: sourceLocation)
        var bytes = Array(s.utf8)
        let direct = bytes.withUnsafeMutableBufferPointer { KubeTime(rfc3339UTF8: UnsafeBufferPointer($0)) }
        #expect(direct?.secondsSince1970 == want?.secondsSince1970 && direct?.precision == want?.precision, "\(s) (bytes)",
                sourceLocation: sourceLocation)
    }

    static let valid = [
        "2024-05-01T10:00:00Z", "2024-05-01t10:00:00z", "2024-05-01 10:00:00Z", "2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:01+02:00", "1999-12-31T23:59:60-05:30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9Z",
        "2000-02-29T12:34:56.000001+00:00",
    ]

    @Test func validTimesAndEverySingleByteChangeParseAsBefore() {
        let alphabet = Array("0123456789-:.+TtZz xé\u{0}".unicodeScalars.map(String.init))
        for text in Self.valid {
            Self.same(text)
            let chars = Array(text)
            for i in 0..<chars.count {
                Self.same(String(chars[..<i]))
                var removed = chars
                removed.remove(at: i)
                Self.same(String(removed))
                for a in alphabet {
                    var replaced = chars.map(String.init)
                    replaced[i] = a
                    Self.same(replaced.joined())
                    var inserted = chars.map(String.init)
                    inserted.insert(a, at: i)
                    Self.same(inserted.joined())
                }
            }
        }
    }

    /// A reproducible generator (SplitMix64).
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomStringsParseAsBefore() {
        var rng = Mix(state: 10)
        let alphabet = Array("0123456789-:.+TZ".utf8)
        for _ in 0..<20_000 {
            var s = Array(Self.valid.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                s[Int.random(in: 0..<s.count, using: &rng)] = alphabet.randomElement(using: &rng)!
            }
            Self.same(String(decoding: s, as: UTF8.self))
        }
    }

    /// Times read from a document: escaped text goes through the `String`, so both spellings give
    /// the same time, and a malformed one the same error as before (its text in the message).
    @Test func timesFromTheTape() throws {
        let doc = #"{"a":"2024-05-01T10:00:00.5Z","b":"2024\u002d05-01T10:00:00.5Z","c":"2024-05-01X10:00:00Z","d":"2024\u002d05"}"#
        try JSONTape(parsing: Array(doc.utf8)).withView { view in
            let o = try TapeValue(view, 0).object()
            let a = try o.timeIfPresent("a")
            #expect(a != nil && a?.secondsSince1970 == Self.reference("2024-05-01T10:00:00.5Z")?.secondsSince1970)
            #expect(a?.precision == .micro)
            #expect(try o.timeIfPresent("b")?.secondsSince1970 == a?.secondsSince1970)
            for (key, text) in [("c", "2024-05-01X10:00:00Z"), ("d", "2024-05")] {
                do {
                    _ = key == "c" ? try o.timeIfPresent("c") : try o.timeIfPresent("d")
                    Issue.record("\(key) parsed")
                } catch DecodingError.dataCorrupted(let context) {
                    #expect(context.debugDescription == "not an RFC 3339 time: \(text)")
                    #expect(context.codingPath.map(\.stringValue) == [key])
                }
            }
        }
    }
}
