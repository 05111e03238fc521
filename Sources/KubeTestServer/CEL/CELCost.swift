import Foundation

/// cel-go's `SizeEstimate`/`CostEstimate` arithmetic: unsigned ranges that saturate at
/// `UInt64.max` instead of overflowing, with cost factors rounded up.
struct CELRange: Hashable, Sendable {
    var min: UInt64
    var max: UInt64

    static let unknown = CELRange(min: 0, max: .max)
    static func fixed(_ v: UInt64) -> CELRange { CELRange(min: v, max: v) }
    static let zero = fixed(0)

    func add(_ o: CELRange) -> CELRange { CELRange(min: Self.add(min, o.min), max: Self.add(max, o.max)) }
    func multiply(_ o: CELRange) -> CELRange { CELRange(min: Self.mul(min, o.min), max: Self.mul(max, o.max)) }
    func union(_ o: CELRange) -> CELRange { CELRange(min: Swift.min(min, o.min), max: Swift.max(max, o.max)) }
    func factor(_ f: Double) -> CELRange { CELRange(min: Self.scale(min, f), max: Self.scale(max, f)) }

    static func add(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let (r, o) = x.addingReportingOverflow(y)
        return o ? .max : r
    }
    static func mul(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return o ? .max : r
    }
    /// `multiplyByCostFactor`: ceil(x * f), saturating.
    static func scale(_ x: UInt64, _ f: Double) -> UInt64 {
        let v = (Double(x) * f).rounded(.up)
        return v >= 18446744073709551615.0 ? .max : UInt64(v)
    }
}

/// The cost limits and messages of apiextensions-apiserver's CRD validation.
enum CELCostLimits {
    /// `StaticEstimatedCostLimit`: per rule (times how often the rule can run).
    static let perRule: UInt64 = 10_000_000
    /// `StaticEstimatedCRDCostLimit`: all rules of a schema together.
    static let perCRD: UInt64 = 100_000_000
    static let stringTraversal = 0.1
    static let regexStringLength = 0.25

    /// `getCostErrorMessage`.
    static func message(_ what: String, cost: UInt64, limit: UInt64) -> String {
        let f = Double(cost) / Double(limit)
        let factor: String
        if f > 100 {
            factor = "more than 100x"
        } else if f < 1.5 {
            factor = String(format: "%fx", f)
        } else {
            factor = String(format: "%.1fx", f)
        }
        return "\(what) exceeds budget by factor of \(factor) (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    }

    /// `maxCardinality`: how often data of this minimum size can repeat in one request.
    static func maxCardinality(minSize: Int64) -> UInt64 {
        UInt64(CELDecl.maxRequestSizeBytes / (minSize + 1))
    }
}
