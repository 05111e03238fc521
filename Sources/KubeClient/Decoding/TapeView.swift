import KubeAPI

/// Read access to a tape's tokens and bytes without reference counting (two buffer pointers into
/// the `JSONTape`'s arrays), so decoders and containers holding it are trivially copyable. Valid
/// only inside `JSONBytesDecoder.decode`, which scopes the pointers.
struct TapeView {
    let tokens: UnsafeBufferPointer<JSONTape.Token>
    let bytes: UnsafeBufferPointer<UInt8>

    /// The text of a string token.
    func string(_ t: JSONTape.Token) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)])
        return t.flag ? TapeScanner.unescape(slice) : String(decoding: slice, as: UTF8.self)
    }

    /// Whether string token `t` equals the UTF-8 bytes `key` (escaped keys are unescaped first).
    @inline(__always)
    func equals(_ t: JSONTape.Token, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if t.flag { return string(t).utf8.elementsEqual(key) }
        let n = Int(t.end - t.start)
        guard key.count == n else { return false }
        return memcmpEqual(bytes.baseAddress! + Int(t.start), key.baseAddress, n)
    }

    /// The coding path from the root (token 0) down to the value at token `target`: object members
    /// as `AnyKey(name)`, array elements as `IndexKey(i)`. Only built for errors and `codingPath`.
    func codingPath(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var i = 0
        descend: while i != target {
            let t = tokens[i]
            var member = i + 1
            var n = 0
            while member < Int(t.next) {
                let valueIndex = t.kind == .object ? member + 1 : member
                let after = Int(tokens[valueIndex].next)
                if target >= valueIndex && target < after {
                    path.append(t.kind == .object ? AnyKey(string(tokens[member])) as any CodingKey : IndexKey(n))
                    i = valueIndex
                    continue descend
                }
                member = after
                n += 1
            }
            break // `target` is not inside a container below `i` (cannot happen for tape indices)
        }
        return path
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
