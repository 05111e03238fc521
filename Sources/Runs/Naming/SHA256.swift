import COpenSSL

/// SHA-256 through OpenSSL's one-shot `SHA256` (no state, no I/O).
enum SHA256Digest {
    static func hash(_ text: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return out
    }

    /// The first `count` lower-case hex digits of the digest of `text`.
    static func hex(_ text: String, count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for byte in hash(text) {
            s.append(digits[Int(byte >> 4)])
            s.append(digits[Int(byte & 0xF)])
            if s.count >= count { break }
        }
        return String(s.prefix(count))
    }
}
