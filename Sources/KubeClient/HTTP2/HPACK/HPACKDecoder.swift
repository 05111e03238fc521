/// Decodes the header blocks a peer sends on one connection (RFC 7541 §3, §6).
///
/// Contract: one decoder per connection, fed every header block in the order the blocks arrive
/// (the dynamic table is shared state). Any error leaves the table unusable: the connection must
/// end with COMPRESSION_ERROR. Field names and values are returned as sent (the connection checks
/// HTTP/2's rules on them).
struct HPACKDecoder {
    private var table: HPACKDynamicTable
    /// The largest table size the peer may choose: our SETTINGS_HEADER_TABLE_SIZE.
    let maxTableSize: Int
    /// Scratch octets for Huffman-decoded strings (kept to avoid an allocation per string).
    private var scratch: [UInt8] = []

    init(maxTableSize: Int = 4096) {
        self.maxTableSize = maxTableSize
        table = HPACKDynamicTable(maxSize: maxTableSize)
    }

    /// The dynamic table's current size in octets and entry count (for tests and diagnostics).
    var dynamicTableSize: Int { table.size }
    var dynamicTableCount: Int { table.count }

    /// Decodes one complete header block (HEADERS plus its CONTINUATION fragments, joined).
    mutating func decode(_ block: UnsafeRawBufferPointer) throws(HPACKError) -> [HPACKField] {
        var fields: [HPACKField] = []
        fields.reserveCapacity(10)
        var i = 0
        while i < block.count {
            let first = block[i]
            if first & 0x80 != 0 {  // indexed field (§6.1)
                fields.append(try field(at: try HPACKInteger.decode(block, at: &i, prefixBits: 7)))
            } else if first & 0x40 != 0 {  // literal with incremental indexing (§6.2.1)
                let f = try literal(block, at: &i, prefixBits: 6)
                table.insert(f)
                fields.append(f)
            } else if first & 0x20 != 0 {  // dynamic table size update (§6.3)
                guard fields.isEmpty else { throw .tableSizeUpdateAfterField }
                let size = try HPACKInteger.decode(block, at: &i, prefixBits: 5)
                guard size <= maxTableSize else { throw .tableSizeTooLarge(requested: size, allowed: maxTableSize) }
                table.resize(size)
            } else {  // literal without indexing (0000) or never indexed (0001) (§6.2.2, §6.2.3)
                fields.append(try literal(block, at: &i, prefixBits: 4))
            }
        }
        return fields
    }

    private func field(at index: Int) throws(HPACKError) -> HPACKField {
        if index >= 1, index <= HPACKStaticTable.count { return HPACKStaticTable.entries[index - 1] }
        guard index > HPACKStaticTable.count, let f = table[index - HPACKStaticTable.count - 1] else {
            throw .invalidIndex(index)
        }
        return f
    }

    private mutating func literal(_ block: UnsafeRawBufferPointer, at i: inout Int,
                                  prefixBits: Int) throws(HPACKError) -> HPACKField {
        let nameIndex = try HPACKInteger.decode(block, at: &i, prefixBits: prefixBits)
        let name = nameIndex == 0 ? try string(block, at: &i) : try field(at: nameIndex).name
        return HPACKField(name: name, value: try string(block, at: &i))
    }

    /// A string literal (§5.2): H bit, 7-bit-prefix length, raw or Huffman-coded octets.
    private mutating func string(_ block: UnsafeRawBufferPointer, at i: inout Int) throws(HPACKError) -> String {
        guard i < block.count else { throw .truncated }
        let huffman = block[i] & 0x80 != 0
        let length = try HPACKInteger.decode(block, at: &i, prefixBits: 7)
        guard length <= block.count - i else { throw .truncated }
        let octets = UnsafeRawBufferPointer(rebasing: block[i..<(i + length)])
        i += length
        guard huffman else { return String(decoding: octets, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        try HPACKHuffmanDecoder.decode(octets, into: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }
}
