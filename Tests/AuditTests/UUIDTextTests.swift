import Foundation
import Testing
import TestSupport
@testable import Audit

/// `UUID.lowercasedText` (the audit log lines' `id`) is `uuidString.lowercased()`.
@Suite struct UUIDTextTests {
    @Test func matchesFoundationsTextLowercased() {
        var rng = SplitMix(seed: 0x0D1D)
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                   UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        ids += (0..<500).map { _ in UUID() }
        ids += (0..<500).map { _ in AuditEventID.next(at: Double(rng.next() % 4_000_000_000)) }
        ids += (0..<500).map { _ in
            let b = (0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        for id in ids { #expect(id.lowercasedText == id.uuidString.lowercased()) }
    }
}
