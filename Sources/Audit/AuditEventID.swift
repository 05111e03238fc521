import Foundation
import Synchronization

/// Generates event ids: UUIDv7-shaped (RFC 9562) — 48 bits of Unix milliseconds, then a per-process
/// counter, then per-process random bits.
///
/// Why not `UUID()`: a random v4 id costs a `getrandom` call per event and scatters inserts across the
/// `flow_events.event_id` unique index; time-ordered ids append to it. Uniqueness: within a process the
/// 44-bit counter never repeats; across processes the 30 random bits fixed at start differ with
/// overwhelming probability (and a collision would only make the database keep the first event).
enum AuditEventID {
    private static let counter = Atomic<UInt64>(0)
    private static let processBits: UInt64 = UInt64.random(in: 0...UInt64.max) & 0x3FFF_FFFF

    static func next(at secondsSince1970: Double) -> UUID {
        let millis = UInt64(max(0, secondsSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let count = counter.add(1, ordering: .relaxed).newValue
        let high = (millis << 16) | 0x7000 | ((count >> 32) & 0x0FFF)
        let low = (UInt64(0b10) << 62) | (processBits << 32) | (count & 0xFFFF_FFFF)
        let h = high.bigEndian
        let l = low.bigEndian
        return withUnsafeBytes(of: (h, l)) { raw in
            UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                        raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
        }
    }
}
