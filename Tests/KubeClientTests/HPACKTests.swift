import NIOCore
import Testing
@testable import KubeClient

/// HPACK (RFC 7541) against the RFC's own examples (Appendix C) and, both ways, against
/// swift-nio-http2's independent implementation (Huffman coding, indexing, evictions).
@Suite struct HPACKTests {
    // MARK: integers (C.1)

    @Test func integersMatchTheRFCExamples() throws {
        var out: [UInt8] = []
        HPACKInteger.encode(10, prefixBits: 5, flags: 0, into: &out)
        #expect(out == [0x0a])
        out = []
        HPACKInteger.encode(1337, prefixBits: 5, flags: 0xe0, into: &out)
        #expect(out == [0xff, 0x9a, 0x0a])
        out = []
        HPACKInteger.encode(42, prefixBits: 8, flags: 0, into: &out)
        #expect(out == [0x2a])
        for (value, prefix) in [(0, 4), (14, 4), (15, 4), (16, 4), (127, 7), (128, 7), (1 << 20, 5), (HPACKInteger.limit, 6)] {
            var bytes: [UInt8] = []
            HPACKInteger.encode(value, prefixBits: prefix, flags: 0, into: &bytes)
            let decoded = try bytes.withUnsafeBytes { (b) in
                var i = 0
                let v = try HPACKInteger.decode(b, at: &i, prefixBits: prefix)
                #expect(i == b.count)
                return v
            }
            #expect(decoded == value)
        }
    }

    @Test func oversizedAndTruncatedIntegersAreRejected() {
        #expect(throws: HPACKError.integerOverflow) { try Self.decodeInteger([0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f], prefix: 5) }
        #expect(throws: HPACKError.integerOverflow) { try Self.decodeInteger([0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], prefix: 5) }
        #expect(throws: HPACKError.truncated) { try Self.decodeInteger([0x1f, 0x9a], prefix: 5) }
        #expect(throws: HPACKError.truncated) { try Self.decodeInteger([], prefix: 5) }
    }

    // MARK: Huffman (Appendix B)

    @Test func huffmanCodesMatchAppendixB() {
        let expected: [(Int, UInt32, UInt8)] = [
            (0, 0x1ff8, 13), (10, 0x3ffffffc, 30), (32, 0x14, 6), (48, 0x0, 5), (65, 0x21, 6),
            (97, 0x3, 5), (122, 0x7b, 7), (126, 0x1ffd, 13), (127, 0xffffffc, 28), (200, 0x3ffffe2, 26),
            (255, 0x3ffffee, 26), (256, 0x3fffffff, 30),
        ]
        for (symbol, code, length) in expected {
            #expect(HPACKHuffman.codes[symbol] == code, "symbol \(symbol)")
            #expect(HPACKHuffman.lengths[symbol] == length, "symbol \(symbol)")
        }
    }

    @Test func everyOctetRoundTripsThroughHuffman() throws {
        let all = (0...255).map(UInt8.init) + Array("www.example.com application/json".utf8)
        var coded: [UInt8] = []
        HPACKHuffman.encode(all, into: &coded)
        #expect(coded.count == HPACKHuffman.encodedCount(all))
        var decoded: [UInt8] = []
        try coded.withUnsafeBytes { (b) in try HPACKHuffmanDecoder.decode(b, into: &decoded) }
        #expect(decoded == all)
    }

    @Test func huffmanPaddingAndEOSAreChecked() {
        func decode(_ bytes: [UInt8]) throws {
            var out: [UInt8] = []
            try bytes.withUnsafeBytes { (b) in try HPACKHuffmanDecoder.decode(b, into: &out) }
        }
        // "0" (00000) then three zero bits: padding that is not EOS's prefix.
        #expect(throws: HPACKError.invalidHuffman) { try decode([0x00]) }
        // "a" (00011) padded with ones, then a whole octet of ones: padding over 7 bits.
        #expect(throws: HPACKError.invalidHuffman) { try decode([0x1f, 0xff]) }
        // EOS (30 ones) inside the string.
        #expect(throws: HPACKError.invalidHuffman) { try decode([0xff, 0xff, 0xff, 0xff]) }
        // The same "a" with its 3 padding bits is fine.
        #expect((try? decode([0x1f])) != nil)
    }

    // MARK: header blocks (C.4, C.6)

    @Test func requestsWithHuffmanDecodeAsInC4() throws {
        var decoder = HPACKDecoder()
        let first = try Self.decode(&decoder, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")
        #expect(first == Self.fields([":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]))
        #expect(decoder.dynamicTableSize == 57)
        let second = try Self.decode(&decoder, "8286 84be 5886 a8eb 1064 9cbf")
        #expect(second == Self.fields([":method", "GET"], [":scheme", "http"], [":path", "/"],
                                      [":authority", "www.example.com"], ["cache-control", "no-cache"]))
        #expect(decoder.dynamicTableSize == 110)
        let third = try Self.decode(&decoder, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")
        #expect(third == Self.fields([":method", "GET"], [":scheme", "https"], [":path", "/index.html"],
                                     [":authority", "www.example.com"], ["custom-key", "custom-value"]))
        #expect(decoder.dynamicTableSize == 164)
        #expect(decoder.dynamicTableCount == 3)
    }

    @Test func responsesWithEvictionDecodeAsInC6() throws {
        var decoder = HPACKDecoder(maxTableSize: 256)
        let first = try Self.decode(&decoder, """
            4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d \
            29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3
            """)
        #expect(first == Self.fields([":status", "302"], ["cache-control", "private"],
                                     ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]))
        #expect(decoder.dynamicTableSize == 222)
        let second = try Self.decode(&decoder, "4883 640e ffc1 c0bf")
        #expect(second == Self.fields([":status", "307"], ["cache-control", "private"],
                                      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]))
        #expect(decoder.dynamicTableSize == 222)
        let third = try Self.decode(&decoder, """
            88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d \
            d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 \
            3d50 07
            """)
        #expect(third == Self.fields([":status", "200"], ["cache-control", "private"],
                                     ["date", "Mon, 21 Oct 2013 20:13:22 GMT"], ["location", "https://www.example.com"],
                                     ["content-encoding", "gzip"],
                                     ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"]))
        #expect(decoder.dynamicTableSize == 215)
        #expect(decoder.dynamicTableCount == 3)
    }

    @Test func malformedBlocksAreCompressionErrors() {
        var d = HPACKDecoder()
        #expect(throws: HPACKError.invalidIndex(0)) { _ = try Self.decode(&d, "80") }
        #expect(throws: HPACKError.invalidIndex(62)) { _ = try Self.decode(&d, "be") }
        #expect(throws: HPACKError.tableSizeUpdateAfterField) { _ = try Self.decode(&d, "82 3f e1 1f") }
        #expect(throws: HPACKError.tableSizeTooLarge(requested: 4097, allowed: 4096)) { _ = try Self.decode(&d, "3f e2 1f") }
        #expect(throws: HPACKError.truncated) { _ = try Self.decode(&d, "40 0a 63 75 73") }
        #expect(throws: HPACKError.truncated) { _ = try Self.decode(&d, "41") }
        // A size update at the start is accepted and evicts.
        var e = HPACKDecoder()
        _ = try? Self.decode(&e, "40 0a 63 75 73 74 6f 6d 2d 6b 65 79 0d 63 75 73 74 6f 6d 2d 68 65 61 64 65 72")
        #expect(e.dynamicTableCount == 1)
        #expect((try? Self.decode(&e, "20 82")) == Self.fields([":method", "GET"]))
        #expect(e.dynamicTableCount == 0)
    }

    // MARK: the encoder

    @Test func encoderUsesStaticIndexesAndNeverIndexesCredentials() {
        var block: [UInt8] = []
        HPACKEncoder().encode(Self.fields([":method", "GET"], [":scheme", "https"], ["Authorization", "Bearer t"],
                                          ["x-custom", "v"]), into: &block)
        // 0x82 GET, 0x87 https; authorization: never indexed (0001), name index 23 = 15 + 8;
        // x-custom: literal without indexing with a new name.
        #expect(block == [0x82, 0x87, 0x1f, 0x08, 0x08] + Array("Bearer t".utf8)
                + [0x00, 0x08] + Array("x-custom".utf8) + [0x01, 0x76])
    }

    @Test func ourBlocksDecodeWithNIOsDecoderAndNIOsWithOurs() throws {
        let allocator = ByteBufferAllocator()
        var nioEncoder = NIOHPACKEncoder(allocator: allocator, useHuffmanEncoding: true, maxDynamicTableSize: 4096)
        var nioDecoder = NIOHPACKDecoder(allocator: allocator)
        var ours = HPACKDecoder()
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let fields = Self.responseLike(round: round, using: &rng)
            // NIO → ours (NIO indexes and evicts in a 4 KiB table).
            var buffer = allocator.buffer(capacity: 512)
            try nioEncoder.encode(headers: NIOHPACKHeaders(fields.map { ($0.name, $0.value) }), to: &buffer)
            let decoded = try buffer.readableBytesView.withUnsafeBytes { (b) in try ours.decode(b) }
            #expect(decoded == fields, "round \(round)")
            // ours (raw and Huffman) → NIO.
            for huffman in [false, true] {
                var block: [UInt8] = []
                HPACKEncoder(huffman: huffman).encode(fields, into: &block)
                var incoming = allocator.buffer(bytes: block)
                let back = try nioDecoder.decodeHeaders(from: &incoming)
                #expect(back.map { HPACKField(name: $0.name, value: $0.value) } == fields, "round \(round)")
            }
        }
        #expect(ours.dynamicTableCount > 0)
    }

    // MARK: helpers

    private static func responseLike(round: Int, using rng: inout SystemRandomNumberGenerator) -> [HPACKField] {
        let statuses = ["200", "201", "404", "409", "422"]
        var f = fields([":status", statuses[round % statuses.count]], ["content-type", "application/json"],
                       ["audit-id", "\(UInt64.random(in: 0...UInt64.max, using: &rng))-\(round)"],
                       ["cache-control", "no-cache, private"],
                       ["date", "Sun, 06 Dec 2026 11:\(10 + round / 60):\(10 + round % 50) GMT"],
                       ["x-kubernetes-pf-flowschema-uid", "f\(round % 3)"])
        if round % 7 == 0 { f.append(HPACKField(name: "x-long-\(round)", value: String(repeating: "é", count: 40 + round))) }
        return f
    }

    private static func fields(_ pairs: [String]...) -> [HPACKField] {
        pairs.map { HPACKField(name: $0[0], value: $0[1]) }
    }

    private static func decode(_ decoder: inout HPACKDecoder, _ hex: String) throws -> [HPACKField] {
        let digits = Array(hex.unicodeScalars.filter { $0.properties.isASCIIHexDigit })
        let bytes = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(String.UnicodeScalarView(digits[$0..<$0 + 2])), radix: 16)! }
        return try bytes.withUnsafeBytes { (b) in try decoder.decode(b) }
    }

    @discardableResult
    private static func decodeInteger(_ bytes: [UInt8], prefix: Int) throws -> Int {
        try bytes.withUnsafeBytes { (b) -> Int in
            var i = 0
            return try HPACKInteger.decode(b, at: &i, prefixBits: prefix)
        }
    }
}
