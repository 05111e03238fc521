import KubeAPI

/// The decoder's hot accessors on the tape. They live in this module because `package`
/// declarations of KubeAPI are never inlined here, not even `@inlinable @inline(__always)` ones
/// (checked with swiftc 6.3: the call stays), and a call per member comparison cost ~7 % of decode
/// time. For the same reason kinds are tested with `case` patterns (a tag compare) rather than
/// `==` (a call into Kind's Equatable witness).
extension JSONTapeView {
    /// Whether the token at `index` is `null`.
    @inline(__always)
    func isNull(_ index: Int) -> Bool {
        if case .null = tokens[index].kind { return true }
        return false
    }

    /// The text of string token `t`: `string(_:)`, with the common unescaped case inlined.
    @inline(__always)
    func text(_ t: JSONTape.Token) -> String {
        guard !t.flag else { return string(t) }
        return String(decoding: UnsafeBufferPointer(start: bytes + Int(t.start), count: Int(t.end - t.start)), as: UTF8.self)
    }

    /// Whether string token `t` equals the UTF-8 bytes `key` (escaped strings are unescaped first).
    @inline(__always)
    func equals(_ t: JSONTape.Token, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if t.flag { return string(t).utf8.elementsEqual(key) }
        let n = Int(t.end - t.start)
        guard key.count == n else { return false }
        var k = 0
        var p = Int(t.start)
        while k < n {
            if bytes[p] != key[k] { return false }
            k += 1
            p += 1
        }
        return true
    }

    /// The coding path from the root (token 0) down to the value at token `target` (KubeAPI's
    /// `keyPath(to:)`: the keys `TapeDecodable` decoders report too). Only built for errors and `codingPath`.
    func codingPath(to target: Int) -> [any CodingKey] { keyPath(to: target) }
}
