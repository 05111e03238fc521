import KubeAPI

/// The tape copied into unmanaged buffers, so the decoding hot path reads tokens and bytes
/// without reference counting. Lives as long as the decode.
final class TapeBox {
    let tokens: UnsafeMutableBufferPointer<JSONTape.Token>
    let bytes: UnsafeMutableBufferPointer<UInt8>

    init(_ tape: JSONTape) {
        tokens = .allocate(capacity: max(tape.tokens.count, 1))
        _ = tokens.initialize(from: tape.tokens)
        bytes = .allocate(capacity: max(tape.bytes.count, 1))
        _ = bytes.initialize(from: tape.bytes)
    }

    deinit {
        tokens.deallocate()
        bytes.deallocate()
    }

    /// The text of a string token.
    func string(_ t: JSONTape.Token) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)])
        return t.flag ? TapeScanner.unescape(slice) : String(decoding: slice, as: UTF8.self)
    }

    /// Whether string token `t` equals `key` (escaped keys are unescaped first).
    func equals(_ t: JSONTape.Token, _ key: String) -> Bool {
        if t.flag { return string(t) == key }
        var k = key
        return k.withUTF8 { kb in
            let n = Int(t.end - t.start)
            guard kb.count == n else { return false }
            return memcmpEqual(bytes.baseAddress! + Int(t.start), kb.baseAddress, n)
        }
    }

    /// Builds the `JSONValue` of the subtree at `index`.
    func value(at index: Int) -> JSONValue {
        let t = tokens[index]
        switch t.kind {
        case .null: return .null
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
                let key = string(tokens[i])
                out[key] = value(at: i + 1)
                i = Int(tokens[i + 1].next)
            }
            return .object(out)
        }
    }

    func number(_ t: JSONTape.Token) -> JSONValue {
        if !t.flag, let i = int64(t) { return .int(i) }
        return .double(double(t) ?? 0)
    }

    func int64(_ t: JSONTape.Token) -> Int64? {
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

    func double(_ t: JSONTape.Token) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)]), as: UTF8.self))
    }
}
