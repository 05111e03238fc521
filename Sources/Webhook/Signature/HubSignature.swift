import COpenSSL

/// GitHub's `X-Hub-Signature-256` check: `sha256=<64 hex>` is HMAC-SHA256 of the raw body under a
/// shared secret (SPEC §4).
///
/// Contract: `verify` is true only when the header is well formed and matches under at least one
/// secret; the comparison of the MACs is constant time (`CRYPTO_memcmp`), every secret is tried
/// (no early exit that would reveal which one matched), and neither the secrets nor the header are
/// kept or logged.
public enum HubSignature {
    public static let headerName = "X-Hub-Signature-256"

    /// HMAC-SHA256 of `body` under `secret` (32 bytes).
    public static func mac(secret: [UInt8], body: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        secret.withUnsafeBytes { key in
            out.withUnsafeMutableBufferPointer { o in
                _ = HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), body.baseAddress?.assumingMemoryBound(to: UInt8.self),
                         body.count, o.baseAddress, &length)
            }
        }
        return out
    }

    /// The header value GitHub would send for `body` under `secret`: `sha256=<hex>`.
    public static func header(secret: [UInt8], body: [UInt8]) -> String {
        let digest = body.withUnsafeBytes { mac(secret: secret, body: $0) }
        return "sha256=" + hex(digest)
    }

    /// True when `header` is a valid signature of `body` under any of `secrets`.
    public static func verify(header: String?, body: [UInt8], secrets: [[UInt8]]) -> Bool {
        guard let header, let expected = decode(header), !secrets.isEmpty else { return false }
        var matched = false
        body.withUnsafeBytes { raw in
            for secret in secrets {
                let digest = mac(secret: secret, body: raw)
                let equal = digest.withUnsafeBytes { a in
                    expected.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, 32) == 0 }
                }
                matched = matched || equal
            }
        }
        return matched
    }

    /// The 32 bytes of `sha256=<64 hex>` (hex case-insensitive), or nil.
    static func decode(_ header: String) -> [UInt8]? {
        let u = Array(header.utf8)
        let prefix = Array("sha256=".utf8)
        guard u.count == prefix.count + 64, Array(u[0..<prefix.count]) == prefix else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(32)
        var i = prefix.count
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
