import Foundation
import KubeAPI

/// Evaluation failures (`no such key: x`, type mismatches, unsupported functions).
struct CELEvalError: Error, Sendable {
    var message: String
}

/// Evaluates `CELNode`s over JSON values with CEL's semantics for the supported subset:
/// missing fields are errors unless guarded by `has()`; `&&`/`||` absorb an error when the
/// other side decides the result; ints and doubles compare numerically.
struct CELEvaluator {
    var variables: [String: JSONValue]

    func eval(_ node: CELNode) throws(CELEvalError) -> JSONValue {
        switch node {
        case .literal(let v): return v
        case .ident(let name):
            guard let v = variables[name] else { throw CELEvalError(message: "undeclared reference to '\(name)'") }
            return v
        case .list(let items):
            var out: [JSONValue] = []
            for i in items { out.append(try eval(i)) }
            return .array(out)
        case .member(let target, let name):
            let t = try eval(target)
            guard case .object(let o) = t else { throw CELEvalError(message: "no such key: \(name)") }
            guard let v = o[name] else { throw CELEvalError(message: "no such key: \(name)") }
            return v
        case .index(let target, let indexNode):
            let t = try eval(target), i = try eval(indexNode)
            switch (t, i) {
            case (.array(let a), .int(let n)):
                guard n >= 0, n < a.count else { throw CELEvalError(message: "index out of bounds: \(n)") }
                return a[Int(n)]
            case (.object(let o), .string(let k)):
                guard let v = o[k] else { throw CELEvalError(message: "no such key: \(k)") }
                return v
            default: throw CELEvalError(message: "invalid index")
            }
        case .unary("!", let e):
            guard case .bool(let b) = try eval(e) else { throw CELEvalError(message: "no such overload for !") }
            return .bool(!b)
        case .unary(_, let e):
            switch try eval(e) {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            default: throw CELEvalError(message: "no such overload for -")
            }
        case .ternary(let c, let a, let b):
            guard case .bool(let cond) = try eval(c) else { throw CELEvalError(message: "ternary condition is not a bool") }
            return try eval(cond ? a : b)
        case .binary("&&", let l, let r): return try logic(l, r, shortCircuit: false)
        case .binary("||", let l, let r): return try logic(l, r, shortCircuit: true)
        case .binary(let op, let l, let r): return try CELOperators.binary(op, try eval(l), try eval(r))
        case .call(let target, let name, let args): return try call(target, name, args)
        }
    }

    /// `&&` (shortCircuit false) and `||` (true) with CEL's commutative error absorption.
    private func logic(_ l: CELNode, _ r: CELNode, shortCircuit: Bool) throws(CELEvalError) -> JSONValue {
        var leftError: CELEvalError?
        switch Result(catching: { () throws(CELEvalError) in try eval(l) }) {
        case .success(.bool(let b)):
            if b == shortCircuit { return .bool(b) }
        case .success:
            leftError = CELEvalError(message: "no such overload for logical operator")
        case .failure(let e):
            leftError = e
        }
        let v = try eval(r)
        guard case .bool(let b) = v else { throw CELEvalError(message: "no such overload for logical operator") }
        if b == shortCircuit { return .bool(b) }
        if let leftError { throw leftError }
        return .bool(b)
    }

    private func call(_ target: CELNode?, _ name: String, _ args: [CELNode]) throws(CELEvalError) -> JSONValue {
        if target == nil && name == "has" {
            guard args.count == 1, case .member(let obj, let field) = args[0] else {
                throw CELEvalError(message: "has() requires a field selection")
            }
            guard case .object(let o) = try eval(obj) else { return .bool(false) }
            return .bool(o[field] != nil)
        }
        if let target, ["all", "exists", "exists_one", "map", "filter"].contains(name) {
            return try macro(target, name, args)
        }
        var values: [JSONValue] = []
        if let target { values.append(try eval(target)) }
        for a in args { values.append(try eval(a)) }
        return try CELOperators.function(name, values)
    }

    private func macro(_ target: CELNode, _ name: String, _ args: [CELNode]) throws(CELEvalError) -> JSONValue {
        guard args.count == 2, case .ident(let variable) = args[0] else {
            throw CELEvalError(message: "\(name)() needs a variable and an expression")
        }
        let range: [JSONValue]
        switch try eval(target) {
        case .array(let a): range = a
        case .object(let o): range = o.keys.sorted().map(JSONValue.string)
        default: throw CELEvalError(message: "\(name)() applies to lists and maps")
        }
        var results: [JSONValue] = []
        for item in range {
            var scope = self
            scope.variables[variable] = item
            results.append(try scope.eval(args[1]))
        }
        switch name {
        case "all": return .bool(results.allSatisfy { $0 == .bool(true) })
        case "exists": return .bool(results.contains(.bool(true)))
        case "exists_one": return .bool(results.filter { $0 == .bool(true) }.count == 1)
        case "map": return .array(results)
        default: return .array(zip(range, results).filter { $0.1 == .bool(true) }.map(\.0))
        }
    }
}
