import Foundation

extension UUID {
    /// `uuidString.lowercased()` — 8-4-4-4-12 lowercase hex digits — written straight from the 16
    /// bytes (Foundation's `uuidString` and the lowercasing were ≈ 7,500 instructions per audit
    /// log line; this is a few hundred).
    var lowercasedText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                let digits: StaticString = "0123456789abcdef"
                var o = 0
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = digits.utf8Start[Int(bytes[i] >> 4)]
                    out[o + 1] = digits.utf8Start[Int(bytes[i] & 0xF)]
                    o += 2
                }
                return o
            }
        }
    }
}
