/// GitHub's `application/x-www-form-urlencoded` deliveries: the JSON is the value of `payload=`.
///
/// Contract: returns the percent-decoded bytes of the first `payload` field (`+` is a space), or
/// nil when there is none or an escape is malformed. Total: never traps on any input.
public enum FormPayload {
    public static func extract(_ body: [UInt8]) -> [UInt8]? {
        for field in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard let eq = field.firstIndex(of: UInt8(ascii: "=")) else { continue }
            guard let name = decode(field[field.startIndex..<eq]), name == Array("payload".utf8) else { continue }
            return decode(field[(eq + 1)...])
        }
        return nil
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if c == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let hi = HubSignature.nibble(bytes[i + 1]), let lo = HubSignature.nibble(bytes[i + 2]) else {
                    return nil
                }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
