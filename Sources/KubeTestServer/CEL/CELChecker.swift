import KubeAPI

/// What the checker knows of one expression: its type, the schema node it reads (whose declared
/// maximum size the cost estimator uses, like k8s' path-based `sizeEstimator`), a size computed
/// from literals or call results, and its estimated cost range.
struct CELChecked: Sendable {
    var type: CELType
    var decl: CELDecl? = nil
    var size: CELRange? = nil
    var cost: CELRange = .zero
    /// A sub-expression failed to check; no further errors are reported about this one.
    var failed = false

    static let error = CELChecked(type: .dyn, failed: true)
}

/// One checker error at a source offset (cel-go's messages).
struct CELCheckError: Sendable {
    var offset: Int
    var message: String
}

/// Type-checks a parsed expression against its variables' declarations, as cel-go's checker does
/// in the Kubernetes environment, and estimates its cost as cel-go's coster does with the
/// Kubernetes library's call estimates (see docs/testserver.md for where it approximates).
struct CELChecker {
    var variables: [String: CELChecked]
    private(set) var errors: [CELCheckError] = []
    private(set) var usesOldSelf = false

    init(variables: [String: CELChecked]) { self.variables = variables }

    mutating func check(_ node: CELNode) -> CELChecked { check(node, at: node.offset) }

    static func isScalar(_ t: CELType) -> Bool {
        switch t {
        case .bool, .double, .duration, .int, .timestamp, .uint: true
        case .optional(let e): isScalar(e)
        default: false
        }
    }

    /// `sizeOrUnknown`: computed size, else the schema's declared maximum, else 1 for scalars.
    static func size(_ c: CELChecked) -> CELRange {
        if let s = c.size { return s }
        if let d = c.decl { return CELRange(min: 0, max: UInt64(max(0, d.maxElements))) }
        return isScalar(c.type) ? .fixed(1) : .unknown
    }

    private mutating func fail(_ offset: Int, _ message: String) -> CELChecked {
        errors.append(CELCheckError(offset: offset, message: message))
        return .error
    }

    private mutating func check(_ node: CELNode, at offset: Int) -> CELChecked {
        switch node {
        case .at(let o, let n): return check(n, at: o)
        case .literal(let v):
            switch v {
            case .int: return CELChecked(type: .int, size: .fixed(1))
            case .double: return CELChecked(type: .double, size: .fixed(1))
            case .bool: return CELChecked(type: .bool, size: .fixed(1))
            case .string(let s): return CELChecked(type: .string, size: .fixed(UInt64(s.unicodeScalars.count)))
            default: return CELChecked(type: .null, size: .fixed(1))
            }
        case .uintLiteral: return CELChecked(type: .uint, size: .fixed(1))
        case .bytesLiteral(let s): return CELChecked(type: .bytes, size: .fixed(UInt64(s.utf8.count)))
        case .ident(let name):
            if var v = variables[name] {
                if name == "oldSelf" { usesOldSelf = true }
                v.cost = .fixed(1)
                return v
            }
            if let t = Self.typeIdent(name) {
                // k8s' path-based size estimator reads any identifier other than a comprehension
                // variable as the rule's root (`self`), so a type name gets `self`'s size.
                let root = variables["self"].map { Self.size(CELChecked(type: $0.type, decl: $0.decl)) }
                return CELChecked(type: .type(t), size: root, cost: .fixed(1))
            }
            return fail(offset, "undeclared reference to '\(name)' (in container '')")
        case .list(let items):
            var elem: CELType?
            var cost = CELRange.fixed(10)
            for item in items {
                let c = check(item)
                cost = cost.add(c.cost)
                if c.failed { elem = .dyn; continue }
                if let e = elem, e != c.type, e != .dyn, c.type != .dyn {
                    _ = fail(item.offset, "expected type '\(e.name)' but found '\(c.type.name)'")
                } else if elem == nil || elem == .dyn {
                    elem = c.type
                }
            }
            return CELChecked(type: .list(elem ?? .dyn), size: .fixed(UInt64(items.count)), cost: cost)
        case .map(let keys, let values):
            var k: CELType?, v: CELType?
            var cost = CELRange.fixed(30)
            for (kn, vn) in zip(keys, values) {
                let kc = check(kn), vc = check(vn)
                cost = cost.add(kc.cost).add(vc.cost)
                if k == nil { k = kc.type } else if k != kc.type, !kc.failed { _ = fail(kn.offset, "expected type '\(k!.name)' but found '\(kc.type.name)'") }
                if v == nil { v = vc.type } else if v != vc.type, !vc.failed { _ = fail(vn.offset, "expected type '\(v!.name)' but found '\(vc.type.name)'") }
            }
            return CELChecked(type: .map(k ?? .dyn, v ?? .dyn), size: .fixed(UInt64(keys.count)), cost: cost)
        case .member(let operand, let field, let optional):
            let o = check(operand)
            if o.failed { return o }
            var r = select(o, field, offset: offset)
            if r.failed { return r }
            if optional {
                if case .optional = r.type {} else { r.type = .optional(r.type) }
                r.cost = o.cost.add(.fixed(1))
            } else {
                var c = o.cost
                switch o.type { case .object, .map: c = c.add(.fixed(1)); default: break }
                r.cost = c
            }
            return r
        case .index(let target, let index, let optional):
            let t = check(target), i = check(index)
            var r = overload("_[_]", receiver: false, [t, i], offset: offset)
            if r.failed { return r }
            switch t.type {
            case .list, .map: r.decl = t.decl?.elem
            default: break
            }
            if optional { r.type = .optional(r.type) }
            r.cost = t.cost.add(i.cost).add(.fixed(1))
            r.size = nil
            return r
        case .unary(let op, let e):
            let c = check(e)
            var r = overload(op == "!" ? "!_" : "-_", receiver: false, [c], offset: offset)
            r.cost = c.cost.add(.fixed(1))
            return r
        case .binary(let op, let l, let rhs):
            let lc = check(l), rc = check(rhs)
            if op == "&&" || op == "||" {
                var r = overload(op == "&&" ? "_&&_" : "_||_", receiver: false, [lc, rc], offset: offset, fixed: [.bool, .bool], result: .bool)
                r.cost = CELRange(min: lc.cost.min, max: CELRange.add(lc.cost.max, rc.cost.max))
                return r
            }
            let name = op == "in" ? "@in" : "_\(op)_"
            return call(name, target: nil, [lc, rc], offset: offset)
        case .ternary(let c, let a, let b):
            let cc = check(c), ac = check(a), bc = check(b)
            var r = overload("_?_:_", receiver: false, [cc, ac, bc], offset: offset, fixed: [.bool, .param("A"), .param("A")], result: .param("A"))
            r.cost = cc.cost.add(ac.cost.union(bc.cost))
            r.size = Self.size(ac).union(Self.size(bc))
            if ac.decl === bc.decl { r.decl = ac.decl }
            return r
        case .call(let target, let name, let args):
            return checkCall(target, name, args, offset: offset)
        }
    }

    /// Type names usable as values (`type(x) == string`).
    static func typeIdent(_ name: String) -> CELType? {
        switch name {
        case "int": .int
        case "uint": .uint
        case "double": .double
        case "bool": .bool
        case "string": .string
        case "bytes": .bytes
        case "null_type": .null
        case "list": .list(.dyn)
        case "map": .map(.dyn, .dyn)
        case "google.protobuf.Duration": .duration
        case "google.protobuf.Timestamp": .timestamp
        case "type": .type(.dyn)
        default: nil
        }
    }

    private mutating func select(_ o: CELChecked, _ field: String, offset: Int) -> CELChecked {
        switch o.type {
        case .object(let d):
            guard let f = d.fields[field] else { return fail(offset, "undefined field '\(field)'") }
            return CELChecked(type: f.celType, decl: f)
        case .map(_, let v): return CELChecked(type: v, decl: o.decl?.elem)
        case .dyn: return CELChecked(type: .dyn)
        case .optional(let inner):
            var r = select(CELChecked(type: inner, decl: o.decl), field, offset: offset)
            if !r.failed, case .optional = r.type {} else if !r.failed { r.type = .optional(r.type) }
            return r
        default: return fail(offset, "type '\(o.type.name)' does not support field selection")
        }
    }

    private mutating func checkCall(_ target: CELNode?, _ name: String, _ args: [CELNode], offset: Int) -> CELChecked {
        if target == nil && name == "has" {
            guard args.count == 1, case .member(let operand, let field, false) = args[0].bare else {
                return fail(args.first?.offset ?? offset, "invalid argument to has() macro")
            }
            let o = check(operand)
            if o.failed { return o }
            let s = select(o, field, offset: args[0].offset)
            if s.failed { return s }
            return CELChecked(type: .bool, cost: o.cost.add(.fixed(1)))
        }
        if let target, ["all", "exists", "exists_one", "existsOne", "map", "filter"].contains(name) {
            if args.count == 2 || (name == "map" && args.count == 3) {
                return comprehension(target, name, args, offset: offset)
            }
            if args.count == 3, ["all", "exists", "existsOne"].contains(name) {
                return fail(offset, "function '\(name)' with two iteration variables is not supported by the test server")
            }
        }
        var qualified = name
        var receiver = target
        if let t = target, case .ident(let ns) = t.bare, variables[ns] == nil, CELFunctions.namespaces.contains(ns) {
            qualified = "\(ns).\(name)"
            receiver = nil
        }
        if CELFunctions.unsupported.contains(qualified) {
            return fail(offset, "function '\(qualified)' is not supported by the test server (KubeTestServer)")
        }
        var checked: [CELChecked] = []
        if let receiver { checked.append(check(receiver)) }
        for a in args { checked.append(check(a)) }
        return call(qualified, target: receiver == nil ? nil : checked[0], receiver == nil ? checked : Array(checked.dropFirst()), offset: offset)
    }

    /// Resolves an overloaded call and adds its estimated cost to its operands' costs.
    private mutating func call(_ name: String, target: CELChecked?, _ args: [CELChecked], offset: Int) -> CELChecked {
        let all = (target.map { [$0] } ?? []) + args
        guard CELFunctions.table[name] != nil else {
            if all.contains(where: \.failed) { return .error }
            return fail(offset, "undeclared reference to '\(name)' (in container '')")
        }
        var r = overload(name, receiver: target != nil, all, offset: offset)
        if r.failed { return r }
        let estimate = CELCallCost.estimate(name, target: target, args: args, result: r.type)
        r.cost = all.reduce(estimate.cost) { $0.add($1.cost) }
        r.size = estimate.resultSize ?? (Self.isScalar(r.type) ? .fixed(1) : nil)
        if name == "_[_]" || ["min", "max", "value", "orValue"].contains(name) { r.decl = all.first?.decl?.elem }
        if ["sort", "distinct", "reverse", "slice"].contains(name), case .list = r.type { r.decl = target?.decl }
        return r
    }

    /// Picks the overloads whose parameters accept `args`; their common result type, or `dyn`.
    private mutating func overload(_ name: String, receiver: Bool, _ args: [CELChecked], offset: Int,
                                   fixed: [CELType]? = nil, result: CELType? = nil) -> CELChecked {
        if args.contains(where: \.failed) { return .error }
        let candidates = fixed.map { [CELOverload(receiver: receiver, params: $0, result: result ?? .dyn)] }
            ?? (CELFunctions.table[name] ?? []).filter { $0.receiver == receiver }
        var results: [CELType] = []
        for o in candidates where o.params.count == args.count {
            var bindings: [String: CELType] = [:]
            if zip(o.params, args).allSatisfy({ CELFunctions.assign($0, $1.type, &bindings) }) {
                let t = CELFunctions.substitute(o.result, bindings)
                if !results.contains(t) { results.append(t) }
            }
        }
        guard let first = results.first else {
            let types = args.map(\.type.name)
            let signature = receiver ? "\(types[0]).(\(types.dropFirst().joined(separator: ", ")))" : "(\(types.joined(separator: ", ")))"
            return fail(offset, "found no matching overload for '\(name)' applied to '\(signature)'")
        }
        return CELChecked(type: results.count == 1 ? first : .dyn)
    }

    /// The macros `all`, `exists`, `exists_one`, `map` and `filter`, expanded and costed like
    /// cel-go's comprehensions (loop condition and step per element, times the range's size).
    private mutating func comprehension(_ target: CELNode, _ name: String, _ args: [CELNode], offset: Int) -> CELChecked {
        guard case .ident(let variable) = args[0].bare else { return fail(args[0].offset, "argument must be a simple name") }
        let range = check(target)
        if range.failed { return range }
        var element: CELChecked
        switch range.type {
        case .list(let e): element = CELChecked(type: e, decl: range.decl?.elem)
        case .map(let k, _): element = CELChecked(type: k, size: .zero)
        case .dyn: element = CELChecked(type: .dyn)
        default:
            return fail(target.offset, "expression of type '\(range.type.name)' cannot be range of a comprehension (must be list, map, or dynamic)")
        }
        element.cost = .zero
        let saved = variables[variable]
        variables[variable] = element
        defer { variables[variable] = saved }
        var body: [CELChecked] = []
        for a in args.dropFirst() { body.append(check(a)) }
        if body.contains(where: \.failed) { return .error }
        let predicate = body[0]
        let count = Self.size(range)
        var loop: CELRange, step: CELRange, initial: CELRange = .zero
        var result = CELChecked(type: .bool)
        switch name {
        case "all", "exists":
            let op = name == "all" ? "_&&_" : "_||_"
            guard predicate.type == .bool || predicate.type == .dyn else {
                return fail(offset, "found no matching overload for '\(op)' applied to '(bool, \(predicate.type.name))'")
            }
            loop = .fixed(name == "all" ? 2 : 3)
            step = CELRange(min: 1, max: CELRange.add(1, predicate.cost.max))
            result.cost = .fixed(1)
        case "exists_one", "existsOne":
            guard predicate.type == .bool || predicate.type == .dyn else {
                return fail(offset, "found no matching overload for '_?_:_' applied to '(\(predicate.type.name), int, int)'")
            }
            loop = .zero
            step = predicate.cost.add(CELRange(min: 1, max: 2))
            result.cost = .fixed(2)
        default:
            let transform = body.last!
            guard name == "map" && args.count == 2 || predicate.type == .bool || predicate.type == .dyn else {
                return fail(offset, "found no matching overload for '_?_:_' applied to '(\(predicate.type.name), list(dyn), list(dyn))'")
            }
            initial = .fixed(10)
            loop = .zero
            let append = name == "map" ? transform.cost.add(.fixed(12)) : CELRange.fixed(13)
            step = args.count == 2 && name == "map" ? append : predicate.cost.add(append.union(.fixed(1)))
            result = CELChecked(type: .list(name == "map" ? transform.type : element.type),
                                decl: name == "filter" && range.decl?.kind == .list ? range.decl : nil,
                                size: count, cost: .fixed(1))
        }
        result.cost = range.cost.add(initial).add(result.cost).add(count.multiply(step.add(loop)))
        return result
    }
}
