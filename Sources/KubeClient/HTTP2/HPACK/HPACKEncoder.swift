/// Encodes the header blocks of our requests (RFC 7541 §6).
///
/// Contract: stateless — it never inserts into the peer's dynamic table, so one encoder can serve
/// any number of connections and the peer's SETTINGS_HEADER_TABLE_SIZE needs no action. A field
/// whose name and value are both in the static table is sent as its index; other fields as
/// literals without indexing, with the name's static index when there is one, and `authorization`
/// (and the other credentials below) never indexed, so no intermediary may index a token (§7.1.3).
/// Names are sent lower-cased (HTTP/2 requires it, RFC 9113 §8.2.1). Strings are sent raw by
/// default: Huffman-coding saves octets but costs CPU, and the connection is local to the cluster.
struct HPACKEncoder {
    /// Huffman-code strings when that is shorter.
    var huffman: Bool

    init(huffman: Bool = false) {
        self.huffman = huffman
    }

    /// Names whose values are credentials: encoded never-indexed.
    static let sensitive: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    /// Appends the header block of `fields`, in order, to `block`.
    func encode(_ fields: [HPACKField], into block: inout [UInt8]) {
        for f in fields { encode(f, into: &block) }
    }

    /// Appends one field's representation to `block`.
    func encode(_ field: HPACKField, into block: inout [UInt8]) {
        let name = Self.lowercased(field.name)
        if let index = HPACKStaticTable.indexByField[name]?[field.value] {
            HPACKInteger.encode(index, prefixBits: 7, flags: 0x80, into: &block)
            return
        }
        let neverIndexed = Self.sensitive.contains(name)
        if let index = HPACKStaticTable.indexByName[name] {
            encodeLiteral(nameIndex: index, value: field.value, neverIndexed: neverIndexed, into: &block)
        } else {
            block.append(neverIndexed ? 0x10 : 0x00)
            appendString(name, into: &block)
            appendString(field.value, into: &block)
        }
    }

    /// Appends a literal without indexing (or never indexed) whose name is static index
    /// `nameIndex` — what `encode` writes for such a name when the field itself is not in the
    /// static table.
    func encodeLiteral(nameIndex: Int, value: String, neverIndexed: Bool, into block: inout [UInt8]) {
        HPACKInteger.encode(nameIndex, prefixBits: 4, flags: neverIndexed ? 0x10 : 0x00, into: &block)
        appendString(value, into: &block)
    }

    private func appendString(_ s: String, into block: inout [UInt8]) {
        let utf8 = s.utf8
        if huffman {
            let coded = HPACKHuffman.encodedCount(utf8)
            if coded < utf8.count {
                HPACKInteger.encode(coded, prefixBits: 7, flags: 0x80, into: &block)
                HPACKHuffman.encode(utf8, into: &block)
                return
            }
        }
        HPACKInteger.encode(utf8.count, prefixBits: 7, flags: 0x00, into: &block)
        block.append(contentsOf: utf8)
    }

    /// `name` with ASCII upper-case letters lowered (unchanged, without copying, when it has none).
    private static func lowercased(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) else { return name }
        return String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
