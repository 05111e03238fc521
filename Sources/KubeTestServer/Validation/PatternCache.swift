import Foundation

/// Compiled `pattern`s of structural schemas, so a CRD's pattern is compiled once, not on every
/// write that validates against it (compiling an `NSRegularExpression` per checked string was
/// ≈ 3 % of an AgentRun create's CPU in the webhook benchmark).
///
/// Contract: `regex(pattern)` answers what `try? NSRegularExpression(pattern:)` would — the
/// compiled expression, or nil for a pattern that does not compile. Compiling is a pure function
/// of the text, so a cached answer is never stale. Memory is bounded: past `limit` distinct
/// patterns the cache starts over.
enum PatternCache {
    /// `NSRegularExpression` is immutable and documented as safe to use from several threads.
    struct Compiled: @unchecked Sendable {
        let regex: NSRegularExpression?
    }

    static let limit = 1024
    private static let memo = BoundedMemo<Compiled>(limit: limit)

    static func regex(_ pattern: String) -> NSRegularExpression? {
        memo.value(for: pattern) { Compiled(regex: try? NSRegularExpression(pattern: $0)) }.regex
    }

    /// Patterns held (for tests).
    static var count: Int { memo.count }
}
