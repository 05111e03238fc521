/// HPACK's Huffman code (RFC 7541 Appendix B): 256 octet symbols and EOS (256).
///
/// The code is canonical, so the table only carries each symbol's code length (Appendix B's
/// "len in bits" column); the codes follow from the lengths: symbols sorted by length, then by
/// value, take consecutive codes (`HPACKTests` checks code points of Appendix B and the RFC's
/// Huffman examples).
enum HPACKHuffman {
    /// The code length in bits of symbols 0…255 and EOS (256).
    static let lengths: [UInt8] = [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  // 0…15
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  // 16…31
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,  // 32…47
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,  // 48…63
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  // 64…79
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,  // 80…95
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,  // 96…111
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,  // 112…127
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  // 128…143
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  // 144…159
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  // 160…175
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  // 176…191
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  // 192…207
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  // 208…223
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  // 224…239
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  // 240…255
        30,  // 256
    ]

    /// The code of each symbol, right-aligned in `lengths[s]` bits.
    static let codes: [UInt32] = {
        let order = (0..<257).sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var codes = [UInt32](repeating: 0, count: 257)
        var code: UInt32 = 0
        var previous = lengths[order[0]]
        for (n, s) in order.enumerated() {
            if n > 0 { code = (code + 1) << UInt32(lengths[s] - previous) }
            previous = lengths[s]
            codes[s] = code
        }
        return codes
    }()

    /// The EOS symbol: never encoded in a string; its leading bits (all ones) pad the last octet.
    static let eos = 256

    /// The number of octets `bytes` takes Huffman-coded.
    static func encodedCount<S: Sequence<UInt8>>(_ bytes: S) -> Int {
        var bits = 0
        for b in bytes { bits += Int(lengths[Int(b)]) }
        return (bits + 7) / 8
    }

    /// Appends `bytes` Huffman-coded, the last octet padded with ones (EOS's prefix).
    static func encode<S: Sequence<UInt8>>(_ bytes: S, into out: inout [UInt8]) {
        var acc: UInt64 = 0
        var bits = 0
        for b in bytes {
            let length = Int(lengths[Int(b)])
            acc = (acc << UInt64(length)) | UInt64(codes[Int(b)])
            bits += length
            while bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt64(bits)))
            }
        }
        if bits > 0 {
            out.append(UInt8(truncatingIfNeeded: (acc << UInt64(8 - bits)) | ((1 << UInt64(8 - bits)) - 1)))
        }
    }
}
