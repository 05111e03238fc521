/// Read access to a `JSONTape`'s tokens and bytes without reference counting: two base pointers
/// into the tape's arrays, so decoders and containers holding it are trivially copyable, and a
/// decoder holding a view plus a token index (three words) fits an existential's inline buffer
/// (no box allocation per `init(from:)`). Indices come from the tape itself (token `next` and
/// byte ranges), so they are always in bounds. Valid only inside `JSONTape.withView`.
package struct JSONTapeView {
    package let tokens: UnsafePointer<JSONTape.Token>
    package let bytes: UnsafePointer<UInt8>

    package init(tokens: UnsafePointer<JSONTape.Token>, bytes: UnsafePointer<UInt8>) {
        self.tokens = tokens
        self.bytes = bytes
    }

    /// The bytes of a scalar token (strings: between the quotes).
    package func span(_ t: JSONTape.Token) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + Int(t.start), count: Int(t.end - t.start))
    }

    /// The text of a string token (escapes decoded; invalid UTF-8 repaired as U+FFFD).
    package func string(_ t: JSONTape.Token) -> String {
        t.flag ? JSONEscapes.unescape(span(t)) : String(decoding: span(t), as: UTF8.self)
    }

    /// Builds the `JSONValue` of the subtree at `index` (duplicate object keys: the last one wins).
    package func value(at index: Int) -> JSONValue {
        let t = tokens[index]
        switch t.kind {
        case .null, .skipped: return .null  // `.skipped`: never read (`JSONSkipPlan`'s contract)
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .string: return .string(string(t))
        case .number: return number(t)
        case .array:
            var out: [JSONValue] = []
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                out.append(value(at: i))
                i = Int(tokens[i].next)
            }
            return .array(out)
        case .object:
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(Int(t.count))
            var i = index + 1
            while i < Int(t.next) {
                out[string(tokens[i])] = value(at: i + 1)
                i = Int(tokens[i + 1].next)
            }
            return .object(out)
        }
    }

    /// A number token as `.int` if it is an integer that fits `Int64`, else `.double`.
    package func number(_ t: JSONTape.Token) -> JSONValue {
        if let i = int64(t) { return .int(i) }
        // The scanner's number grammar is a subset of what `Double(_:)` accepts (out-of-range
        // magnitudes become ±infinity or 0), so the fallback is unreachable.
        return .double(double(t) ?? 0)
    }

    /// The value of an integer number token, or `nil` for fractions, exponents and overflow.
    package func int64(_ t: JSONTape.Token) -> Int64? {
        guard !t.flag else { return nil }
        var i = Int(t.start)
        let end = Int(t.end)
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var v: Int64 = 0
        while i < end {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(bytes[i] - 48))
                                   : m.addingReportingOverflow(Int64(bytes[i] - 48))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return v
    }

    /// The value of a number token as `Double`.
    package func double(_ t: JSONTape.Token) -> Double? {
        Double(String(decoding: span(t), as: UTF8.self))
    }
}
