/// Scanning with a `JSONSkipPlan`: members the plan names are validated by `skipValue`, which
/// walks the same grammar as `value(depth:)` — the same checks in the same order, the same
/// messages at the same offsets, the same nesting limit — but records no tokens; the skipped
/// member gets one `.skipped` token spanning its value.
extension JSONTapeScanner {
    /// `value(depth:)` with `plan` applied if the value is an object (else exactly `value`).
    mutating func plannedValue(depth: Int, plan: JSONSkipPlan) throws(JSONParseError) {
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return try value(depth: depth) }
        // `container(depth:object: true)`, each member's value scanned as the plan says.
        guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        let me = tokens.count
        tokens.append(.init(kind: .object, flag: false, start: Int32(i), end: 0, next: 0, count: 0))
        i += 1
        var members: Int32 = 0
        var nameLengths: UInt16 = 0
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                let name = try memberName(&nameLengths)
                switch name.flag ? .scan : plan.member(b, Int(name.start), Int(name.end)) {
                case .scan:
                    try value(depth: depth + 1)
                case .plan(let below):
                    try plannedValue(depth: depth + 1, plan: below)
                case .skip:
                    let start = i
                    try skipValue(depth: depth + 1)
                    tokens.append(.init(kind: .skipped, flag: false, start: Int32(start), end: Int32(i),
                                        next: Int32(tokens.count + 1), count: 0))
                }
                members += 1
                skipSpace()
                guard i < b.count else { throw fail("unexpected end of input in object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("expected ',' or '}'")
            }
        }
        tokens[me].end = Int32(i)
        tokens[me].next = Int32(tokens.count)
        tokens[me].count = members
        tokens[me].nameLengths = nameLengths
    }

    /// `value(depth:)` without tokens: moves past one value, throwing what `value` would throw.
    mutating func skipValue(depth: Int) throws(JSONParseError) {
        guard i < b.count else { throw fail("unexpected end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): try skipContainer(depth: depth, object: true)
        case UInt8(ascii: "["): try skipContainer(depth: depth, object: false)
        case UInt8(ascii: "\""): _ = try stringBody()
        case UInt8(ascii: "t"): try literalBody("true")
        case UInt8(ascii: "f"): try literalBody("false")
        case UInt8(ascii: "n"): try literalBody("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try numberBody()
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(b[i])))'")
        }
    }

    /// `container(depth:object:)` without tokens.
    mutating func skipContainer(depth: Int, object: Bool) throws(JSONParseError) {
        guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        i += 1
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        skipSpace()
        if i < b.count, b[i] == close {
            i += 1
            return
        }
        while true {
            skipSpace()
            if object {
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                _ = try stringBody()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                skipSpace()
            }
            // `{}` and `[]` (most values in managedFields) without the two calls: exactly what
            // `skipValue` → `skipContainer` does with them once the nesting check passes.
            if depth + 1 < maxDepth, i + 1 < b.count,
               (b[i] == UInt8(ascii: "{") && b[i + 1] == UInt8(ascii: "}")) || (b[i] == UInt8(ascii: "[") && b[i + 1] == UInt8(ascii: "]")) {
                i += 2
            } else {
                try skipValue(depth: depth + 1)
            }
            skipSpace()
            guard i < b.count else { throw fail(object ? "unexpected end of input in object" : "unexpected end of input in array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == close { i += 1; return }
            throw fail(object ? "expected ',' or '}'" : "expected ',' or ']'")
        }
    }
}
