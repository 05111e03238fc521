/// Decodes HPACK Huffman strings four bits at a time.
///
/// The code's 257 leaves hang off exactly 256 internal nodes, which are the decoder's states (0 is
/// the root). `transitions[state << 4 | nibble]` says where the nibble leads, whether it completes
/// a symbol (at most one: no code is shorter than 5 bits), whether it hits EOS (an error in a
/// string, RFC 7541 §5.2) and whether the state reached may end a string: the root, or up to 7 bits
/// down the all-ones path (EOS's prefix used as padding).
enum HPACKHuffmanDecoder {
    private static let emits: UInt32 = 1 << 16
    private static let fails: UInt32 = 1 << 17
    private static let accepts: UInt32 = 1 << 18

    /// Packed entries: bits 0–7 the next state, 8–15 the symbol, then the three flags.
    static let transitions: [UInt32] = build()

    /// Appends the decoded octets of `coded` to `out`.
    static func decode(_ coded: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(HPACKError) {
        var state = 0
        var last: UInt32 = accepts
        try transitions.withUnsafeBufferPointer { (table) throws(HPACKError) in
            for byte in coded {
                for nibble in 0..<2 {
                    let t = table[state << 4 | Int(nibble == 0 ? byte >> 4 : byte & 0x0f)]
                    if t & fails != 0 { throw .invalidHuffman }
                    if t & emits != 0 { out.append(UInt8(truncatingIfNeeded: t >> 8)) }
                    state = Int(t & 0xff)
                    last = t
                }
            }
        }
        if last & accepts == 0 { throw .invalidHuffman }
    }

    /// Builds the tree from the canonical codes, then the nibble transitions of every node.
    private static func build() -> [UInt32] {
        // children[node * 2 + bit]: ≥ 0 an internal node, < 0 a leaf -(symbol + 1).
        var children = [Int](repeating: 0, count: 512)
        var nodes = 1
        var depth = [Int](repeating: 0, count: 256)
        var onesPath = [Bool](repeating: false, count: 256)
        onesPath[0] = true
        for symbol in 0...HPACKHuffman.eos {
            let length = Int(HPACKHuffman.lengths[symbol])
            let code = HPACKHuffman.codes[symbol]
            var node = 0
            for i in stride(from: length - 1, through: 0, by: -1) {
                let bit = Int((code >> UInt32(i)) & 1)
                if i == 0 {
                    children[node * 2 + bit] = -(symbol + 1)
                } else {
                    if children[node * 2 + bit] == 0 {
                        children[node * 2 + bit] = nodes
                        depth[nodes] = depth[node] + 1
                        onesPath[nodes] = onesPath[node] && bit == 1
                        nodes += 1
                    }
                    node = children[node * 2 + bit]
                }
            }
        }
        precondition(nodes == 256, "the HPACK Huffman code has 256 internal nodes")
        var table = [UInt32](repeating: 0, count: 256 * 16)
        for state in 0..<256 {
            for nibble in 0..<16 {
                var node = state
                var entry: UInt32 = 0
                for i in stride(from: 3, through: 0, by: -1) {
                    let child = children[node * 2 + ((nibble >> i) & 1)]
                    if child >= 0 {
                        node = child
                    } else if -child - 1 == HPACKHuffman.eos {
                        entry |= fails
                        break
                    } else {
                        entry |= emits | UInt32(-child - 1) << 8
                        node = 0
                    }
                }
                entry |= UInt32(node)
                if node == 0 || (onesPath[node] && depth[node] <= 7) { entry |= accepts }
                table[state << 4 | nibble] = entry
            }
        }
        return table
    }
}
