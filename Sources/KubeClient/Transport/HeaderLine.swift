/// Parses one raw response header line (as curl's header callback hands it over) without
/// building a `String` of the whole line: the name is lower-cased byte by byte (ASCII), the value
/// trimmed of spaces, tabs and the line's CR LF.
///
/// Contract: `"HTTP/…"` status lines are `.statusLine` (a new response starts: the caller drops
/// the headers so far); a line without a colon (the blank line ending the head) is `.other`;
/// otherwise `.field(name, value)`. Same results as splitting the decoded line at its first colon,
/// lower-casing the name and trimming the value's whitespace.
enum HeaderLine: Equatable {
    case statusLine
    case field(name: String, value: String)
    case other

    static func parse(_ line: UnsafeRawBufferPointer) -> HeaderLine {
        let n = line.count
        if n >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            return .statusLine
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return .other }
        let name = String(unsafeUninitializedCapacity: colon) { out in
            for i in 0..<colon {
                let b = line[i]
                out[i] = (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b + 32 : b
            }
            return colon
        }
        var lo = colon + 1
        var hi = n
        while lo < hi, isSpace(line[lo]) { lo += 1 }
        while hi > lo, isSpace(line[hi - 1]) { hi -= 1 }
        return .field(name: name, value: String(decoding: UnsafeRawBufferPointer(rebasing: line[lo..<hi]), as: UTF8.self))
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n")
    }
}
