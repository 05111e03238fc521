/// One field of an HTTP/2 header block (RFC 7541 §1.3): a lower-case name and its value.
/// Pseudo-header fields (`:method`, `:status`, …) are fields like any other here.
struct HPACKField: Equatable, Sendable {
    var name: String
    var value: String

    init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The size the dynamic table accounts for this field (RFC 7541 §4.1): the octets of name and
    /// value plus 32.
    var tableSize: Int { name.utf8.count + value.utf8.count + 32 }
}

/// Why a header block could not be decoded. Every case is a COMPRESSION_ERROR for the connection
/// (RFC 9113 §4.3): the decoder's table can no longer be trusted, so the connection must end.
enum HPACKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block ended inside an integer, a string or a representation.
    case truncated
    /// An integer does not fit the decoder's limit (2³¹ − 1).
    case integerOverflow
    /// Index 0, or an index past the static and dynamic tables.
    case invalidIndex(Int)
    /// A Huffman string with the EOS symbol, padding over 7 bits, or padding that is not all ones.
    case invalidHuffman
    /// A dynamic table size update above the size this decoder allows (our SETTINGS_HEADER_TABLE_SIZE).
    case tableSizeTooLarge(requested: Int, allowed: Int)
    /// A dynamic table size update after the first field of a block (RFC 7541 §4.2).
    case tableSizeUpdateAfterField

    var description: String {
        switch self {
        case .truncated: "HPACK: the header block ends inside a representation"
        case .integerOverflow: "HPACK: an integer exceeds 2^31-1"
        case .invalidIndex(let i): "HPACK: index \(i) is not in the static or dynamic table"
        case .invalidHuffman: "HPACK: invalid Huffman-coded string (EOS, or bad padding)"
        case .tableSizeTooLarge(let r, let a): "HPACK: dynamic table size update to \(r) exceeds the allowed \(a)"
        case .tableSizeUpdateAfterField: "HPACK: dynamic table size update after a header field"
        }
    }
}
