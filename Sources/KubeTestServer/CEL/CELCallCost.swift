/// The estimated cost of one call, without its operands' costs: the Kubernetes library's
/// `CostEstimator.EstimateCallCost` first, then cel-go's `functionCost` (O(n) string and list
/// functions scale with the declared maximum sizes; everything else costs 1).
enum CELCallCost {
    typealias Estimate = (cost: CELRange, resultSize: CELRange?)

    private static let traversal = CELCostLimits.stringTraversal
    private static let regex = CELCostLimits.regexStringLength

    static func estimate(_ name: String, target: CELChecked?, args: [CELChecked], result: CELType) -> Estimate {
        if let k = kubernetes(name, target: target, args: args) { return k }
        let size = CELChecker.size
        switch name {
        case "format":
            if let target { return (size(target).factor(traversal), nil) }
        case "startsWith", "endsWith":
            if args.count == 1 { return (size(args[0]).factor(traversal), nil) }
        case "@in":
            if args.count == 2 { return (size(args[1]), nil) }
        case "matches":
            if let target, args.count == 1 {
                let str = size(target).add(.fixed(1)).factor(traversal)
                return (str.multiply(size(args[0]).factor(regex)), nil)
            }
        case "contains":
            if let target, args.count == 1 {
                return (size(target).factor(traversal).multiply(size(args[0]).factor(traversal)), nil)
            }
        case "_+_":
            if args.count == 2 {
                let total = size(args[0]).add(size(args[1]))
                switch result {
                case .list: return (.fixed(1), total)
                case .string, .bytes: return (total.factor(traversal), total)
                default: break
                }
            }
        case "_<_", "_<=_", "_>_", "_>=_":
            if args.count == 2, args[0].type == .string || args[0].type == .bytes { return (compare(args), nil) }
        case "_==_", "_!=_":
            if args.count == 2 { return (compare(args), nil) }
        default:
            break
        }
        return (.fixed(1), nil)
    }

    /// Equality and string ordering: the smaller maximum size, times the traversal factor.
    private static func compare(_ args: [CELChecked]) -> CELRange {
        let smallest = min(CELChecker.size(args[0]).max, CELChecker.size(args[1]).max)
        return CELRange(min: smallest > 0 ? 1 : 0, max: smallest).factor(traversal)
    }

    private static func elementSize(_ list: CELChecked) -> CELRange? {
        guard case .list(let e) = list.type else { return nil }
        return CELChecker.size(CELChecked(type: e, decl: list.decl?.elem))
    }

    private static func kubernetes(_ name: String, target: CELChecked?, args: [CELChecked]) -> Estimate? {
        let size = CELChecker.size
        switch name {
        case "isSorted", "sum", "max", "min", "indexOf", "lastIndexOf":
            guard let target else { return nil }
            if case .list(let e) = target.type {
                var element = CELRange.fixed(1)
                if e == .string || e == .bytes, let es = elementSize(target) { element = element.add(es.factor(traversal)) }
                return (size(target).multiply(element), nil)
            }
            return (size(target).factor(traversal), nil)
        case "url":
            guard args.count == 1 else { return nil }
            let s = size(args[0])
            return (s.factor(traversal), s)
        case "lowerAscii", "upperAscii", "substring", "trim":
            guard let target else { return nil }
            let s = size(target)
            return (s.factor(traversal), s)
        case "replace":
            guard let target, args.count >= 2 else { return nil }
            let s = size(target), from = size(args[0]), with = size(args[1])
            var count = CELRange.zero, retained = CELRange.zero
            if from.min == 0 {
                count.max = s.max < .max ? s.max + 1 : s.max
                retained.max = s.max
            } else if with.max <= from.min {
                retained.max = s.max
            } else {
                count.max = UInt64((Double(s.max) / Double(from.min)).rounded(.up))
            }
            if from.max == 0 {
                count.min = s.min < .max ? s.min + 1 : s.min
                retained.min = s.min
            } else if from.max <= with.min {
                retained.min = s.min
            } else {
                count.min = UInt64((Double(s.min) / Double(from.max)).rounded(.up))
            }
            return (s.factor(2 * traversal), count.multiply(with).add(retained))
        case "split":
            guard let target else { return nil }
            let s = size(target)
            return (s.factor(2 * traversal), CELRange(min: 0, max: s.max))
        case "join":
            guard let target else { return nil }
            let listSize = size(target)
            var s = elementSize(target).map { listSize.multiply($0) } ?? .zero
            if let sep = args.first {
                let separators = CELRange(min: listSize.min > 0 ? listSize.min - 1 : 0, max: listSize.max > 0 ? listSize.max - 1 : 0)
                s = s.add(size(sep).multiply(separators))
            }
            return (s.factor(traversal), s)
        case "find", "findAll":
            guard let target, args.count >= 1 else { return nil }
            let s = size(target)
            let cost = s.add(.fixed(1)).factor(traversal).multiply(size(args[0]).factor(regex))
            return (cost, CELRange(min: 0, max: s.max))
        case "quantity", "isQuantity":
            guard args.count >= 1 else { return nil }
            return (size(args[0]).factor(traversal), nil)
        case "validate":
            guard args.count >= 1 else { return nil }
            return (size(args[0]).factor(traversal).factor(128 * regex), nil)
        case "format.named", "sign", "asInteger", "isInteger", "asApproximateFloat", "isGreaterThan", "isLessThan",
             "compareTo", "add", "sub", "getScheme", "getHostname", "getHost", "getPort", "getEscapedPath", "getQuery":
            return (.fixed(1), nil)
        case "_==_":
            guard args.count == 2, args[0].type == args[1].type else { return nil }
            switch args[0].type {
            case CELFunctions.quantity: return (.fixed(1), nil)
            case CELFunctions.namedFormat: return (CELRange(min: 1, max: 64).factor(traversal), nil)
            case CELFunctions.url:
                let s = args[1].size.map { $0 } ?? .fixed(1)
                return (CELRange(min: 1, max: s.max).factor(traversal), nil)
            default: return nil
            }
        default:
            return nil
        }
    }
}
