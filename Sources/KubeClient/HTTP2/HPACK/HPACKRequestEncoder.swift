#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes the header block of a request — pseudo-header fields, header lines, `content-length` —
/// with the parts that repeat from request to request encoded once and copied: a client's header
/// lines (`Accept`, `User-Agent`, `Content-Type`, `Authorization`, …), the connection's
/// `:authority` and the methods.
///
/// Contract (one per connection, loop thread only):
/// - The bytes are exactly what `HPACKEncoder.encode` writes for the fields `:method`, `:scheme`
///   (`https`), `:authority`, `:path`, then each header line `Name: value` (value without leading
///   spaces) in order — lines without a colon, with an empty value or a name HTTP/2 forbids or this
///   client writes itself (`isDropped`) left out — then `content-length` when there is a body
///   (not for a GET with an empty one) (`HPACKRequestEncoderTests` compares byte for byte).
/// - Copying is sound because `HPACKEncoder` never touches the dynamic table: every field is a
///   static index or a literal without indexing / never indexed (RFC 7541 §6.1, §6.2.2, §6.2.3),
///   whose representation does not depend on anything sent before; the peer's table size needs
///   no action either.
/// - At most `lineCapacity` lines are kept, the oldest replaced first (a rotated token takes a new
///   entry); a line is recognised by equal text, never by hash.
struct HPACKRequestEncoder {
    let encoder: HPACKEncoder
    /// Recent header lines and their representation (empty for a dropped line).
    private var lines: [(line: String, bytes: [UInt8])] = []
    private var nextReplaced = 0
    private var methods: [(method: String, bytes: [UInt8])] = []
    private var authority: (value: String, bytes: [UInt8])?

    static let lineCapacity = 16

    init(encoder: HPACKEncoder = HPACKEncoder()) {
        self.encoder = encoder
    }

    /// Appends the header block of a request to `block`; `bodyCount` is nil without a body.
    mutating func encode(method: String, authority: String, path: String, headers: [String], bodyCount: Int?,
                         into block: inout [UInt8]) {
        append(method: method, into: &block)
        block.append(0x87)  // :scheme https, static index 7
        if let cached = self.authority, Self.sameBytes(cached.value, authority) {
            block.append(contentsOf: cached.bytes)
        } else {
            var bytes: [UInt8] = []
            encoder.encode(HPACKField(name: ":authority", value: authority), into: &bytes)
            self.authority = (authority, bytes)
            block.append(contentsOf: bytes)
        }
        switch path {
        case "/": block.append(0x84)  // static index 4
        case "/index.html": block.append(0x85)  // static index 5
        default: encoder.encodeLiteral(nameIndex: 4, value: path, neverIndexed: false, into: &block)
        }
        for line in headers { append(line: line, into: &block) }
        if let bodyCount, !(method == "GET" && bodyCount == 0) {
            encoder.encodeLiteral(nameIndex: 28, value: String(bodyCount), neverIndexed: false, into: &block)
        }
    }

    private mutating func append(method: String, into block: inout [UInt8]) {
        switch method {
        case "GET": block.append(0x82)  // static index 2
        case "POST": block.append(0x83)  // static index 3
        default:
            if let cached = methods.first(where: { Self.sameBytes($0.method, method) }) {
                block.append(contentsOf: cached.bytes)
                return
            }
            var bytes: [UInt8] = []
            encoder.encode(HPACKField(name: ":method", value: method), into: &bytes)
            if methods.count < 8 { methods.append((method, bytes)) }
            block.append(contentsOf: bytes)
        }
    }

    private mutating func append(line: String, into block: inout [UInt8]) {
        for entry in lines where Self.sameBytes(entry.line, line) {
            block.append(contentsOf: entry.bytes)
            return
        }
        let bytes = Self.representation(of: line, encoder)
        if lines.count < Self.lineCapacity {
            lines.append((line, bytes))
        } else {
            lines[nextReplaced] = (line, bytes)
            nextReplaced = (nextReplaced + 1) % Self.lineCapacity
        }
        block.append(contentsOf: bytes)
    }

    /// Whether `a` and `b` have the same UTF-8 bytes (not `==`, which is canonical equivalence):
    /// one `memcmp` over contiguous storage instead of the generic `elementsEqual` walk (0.6 % of
    /// the operator's CPU in a profile, lines compared for every request).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    /// The representation of one header line (empty when it is not sent).
    static func representation(of line: String, _ encoder: HPACKEncoder) -> [UInt8] {
        guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { return [] }
        let name = line[..<colon]
        var value = line[line.utf8.index(after: colon)...]
        while value.first == " " { value = value.dropFirst() }
        if value.isEmpty || isDropped(name) { return [] }
        var bytes: [UInt8] = []
        // The encoder writes names lower-case (HTTP/2 requires it).
        encoder.encode(HPACKField(name: String(name), value: String(value)), into: &bytes)
        return bytes
    }

    /// Hop-by-hop and HTTP/1-only header names that HTTP/2 forbids (RFC 9113 §8.2.2), plus
    /// those this client writes itself.
    static let droppedHeaders: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding",
                                              "upgrade", "host", "expect", "te", "content-length"]

    /// Whether `name` (any case) is one of `droppedHeaders`.
    static func isDropped(_ name: Substring) -> Bool {
        droppedHeaders.contains(name.lowercased())
    }
}
