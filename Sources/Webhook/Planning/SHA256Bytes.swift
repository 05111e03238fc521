import COpenSSL

/// SHA-256 through OpenSSL's one-shot `SHA256`.
enum SHA256Bytes {
    static func hash(_ text: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in _ = SHA256(input.baseAddress, input.count, output.baseAddress) }
        }
        return out
    }
}
