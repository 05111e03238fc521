import Foundation
import KubeAPI

/// Evaluation failures (`no such key: x`, type mismatches, unsupported functions).
struct CELEvalError: Error, Sendable {
    var message: String
}

/// Evaluates `CELNode`s over JSON values with CEL's semantics: missing fields are errors unless
/// guarded by `has()` or optional selection (`.?`); `&&`/`||` absorb an error when the other side
/// decides the result; library values (durations, timestamps, quantities, URLs, formats,
/// optionals, types) are `CELValue` tagged objects. Property names are CEL-escaped
/// (`self.__dash__x` reads `-x`), as in the real apiserver.
struct CELEvaluator {
    var variables: [String: JSONValue]

    func eval(_ node: CELNode) throws(CELEvalError) -> JSONValue {
        switch node {
        case .at(_, let n): return try eval(n)
        case .literal(let v): return v
        case .uintLiteral(let u): return .int(Int64(clamping: u))
        case .bytesLiteral(let s): return .string(s)
        case .ident(let name):
            if let v = variables[name] { return v }
            if CELChecker.typeIdent(name) != nil { return CELValue.type(name) }
            throw CELEvalError(message: "undeclared reference to '\(name)'")
        case .list(let items):
            var out: [JSONValue] = []
            for i in items { out.append(try eval(i)) }
            return .array(out)
        case .map(let keys, let values):
            var out: [String: JSONValue] = [:]
            for (k, v) in zip(keys, values) {
                let key = try eval(k)
                out[key.stringValue ?? key.jsonString()] = try eval(v)
            }
            return .object(out)
        case .member(let target, let name, let optional):
            let t = try eval(target)
            if let inner = CELValue.optional(t) {
                guard let inner else { return CELValue.none }
                return try CELValue.wrapOptional(select(inner, name, optional: true))
            }
            return try select(t, name, optional: optional)
        case .index(let target, let indexNode, let optional):
            var t = try eval(target)
            let i = try eval(indexNode)
            var wrapped = optional
            if let inner = CELValue.optional(t) {
                guard let inner else { return CELValue.none }
                t = inner
                wrapped = true
            }
            switch (t, i) {
            case (.array(let a), .int(let n)):
                guard n >= 0, n < a.count else {
                    if wrapped { return CELValue.none }
                    throw CELEvalError(message: "index out of bounds: \(n)")
                }
                return wrapped ? CELValue.some(a[Int(n)]) : a[Int(n)]
            case (.object(let o), .string(let k)):
                guard let v = o[k] else {
                    if wrapped { return CELValue.none }
                    throw CELEvalError(message: "no such key: \(k)")
                }
                return wrapped ? CELValue.some(v) : v
            default: throw CELEvalError(message: "no such overload")
            }
        case .unary("!", let e):
            guard case .bool(let b) = try eval(e) else { throw CELEvalError(message: "no such overload") }
            return .bool(!b)
        case .unary(_, let e):
            let v = try eval(e)
            switch v {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            default:
                if let s = CELValue.seconds(v, kind: "duration") { return CELValue.duration(-s) }
                throw CELEvalError(message: "no such overload")
            }
        case .ternary(let c, let a, let b):
            guard case .bool(let cond) = try eval(c) else { throw CELEvalError(message: "no such overload") }
            return try eval(cond ? a : b)
        case .binary("&&", let l, let r): return try logic(l, r, shortCircuit: false)
        case .binary("||", let l, let r): return try logic(l, r, shortCircuit: true)
        case .binary(let op, let l, let r): return try CELOperators.binary(op, try eval(l), try eval(r))
        case .call(let target, let name, let args): return try call(target, name, args)
        }
    }

    private func select(_ t: JSONValue, _ name: String, optional: Bool) throws(CELEvalError) -> JSONValue {
        guard case .object(let o) = t, CELValue.kind(t) == nil else {
            if optional { return CELValue.none }
            throw CELEvalError(message: "no such key: \(name)")
        }
        guard let v = o[name] ?? o[CELNames.unescape(name)] else {
            if optional { return CELValue.none }
            throw CELEvalError(message: "no such key: \(name)")
        }
        return optional ? CELValue.some(v) : v
    }

    /// `&&` (shortCircuit false) and `||` (true) with CEL's commutative error absorption.
    private func logic(_ l: CELNode, _ r: CELNode, shortCircuit: Bool) throws(CELEvalError) -> JSONValue {
        var leftError: CELEvalError?
        switch Result(catching: { () throws(CELEvalError) in try eval(l) }) {
        case .success(.bool(let b)):
            if b == shortCircuit { return .bool(b) }
        case .success:
            leftError = CELEvalError(message: "no such overload")
        case .failure(let e):
            leftError = e
        }
        let v = try eval(r)
        guard case .bool(let b) = v else { throw CELEvalError(message: "no such overload") }
        if b == shortCircuit { return .bool(b) }
        if let leftError { throw leftError }
        return .bool(b)
    }

    private func call(_ target: CELNode?, _ name: String, _ args: [CELNode]) throws(CELEvalError) -> JSONValue {
        if target == nil && name == "has" {
            guard args.count == 1, case .member(let obj, let field, false) = args[0].bare else {
                throw CELEvalError(message: "has() requires a field selection")
            }
            let v = try eval(obj)
            guard case .object(let o) = v, CELValue.kind(v) == nil else { return .bool(false) }
            return .bool(o[field] != nil || o[CELNames.unescape(field)] != nil)
        }
        if let target, ["all", "exists", "exists_one", "existsOne", "map", "filter"].contains(name), args.count >= 2 {
            return try macro(target, name, args)
        }
        var qualified = name
        var receiver = target
        if let t = target, case .ident(let ns) = t.bare, variables[ns] == nil, CELFunctions.namespaces.contains(ns) {
            qualified = "\(ns).\(name)"
            receiver = nil
        }
        var values: [JSONValue] = []
        if let receiver { values.append(try eval(receiver)) }
        for a in args { values.append(try eval(a)) }
        if let v = try CELLibrary.call(qualified, receiver: receiver != nil, values) { return v }
        return try CELOperators.function(qualified, values)
    }

    private func macro(_ target: CELNode, _ name: String, _ args: [CELNode]) throws(CELEvalError) -> JSONValue {
        guard case .ident(let variable) = args[0].bare else {
            throw CELEvalError(message: "\(name)() needs a variable and an expression")
        }
        let range: [JSONValue]
        switch try eval(target) {
        case .array(let a): range = a
        case .object(let o): range = o.keys.sorted().map(JSONValue.string)
        default: throw CELEvalError(message: "\(name)() applies to lists and maps")
        }
        var scope = self
        func body(_ item: JSONValue, _ node: CELNode) -> Result<JSONValue, CELEvalError> {
            scope.variables[variable] = item
            return Result(catching: { () throws(CELEvalError) in try scope.eval(node) })
        }
        switch name {
        case "all", "exists":
            let decisive = name == "exists"
            var firstError: CELEvalError?
            for item in range {
                switch body(item, args[1]) {
                case .success(.bool(let b)): if b == decisive { return .bool(decisive) }
                case .success: firstError = firstError ?? CELEvalError(message: "no such overload")
                case .failure(let e): firstError = firstError ?? e
                }
            }
            if let firstError { throw firstError }
            return .bool(!decisive)
        case "exists_one", "existsOne":
            var count = 0
            for item in range { if try body(item, args[1]).get() == .bool(true) { count += 1 } }
            return .bool(count == 1)
        case "map":
            var out: [JSONValue] = []
            for item in range {
                if args.count == 3, try body(item, args[1]).get() != .bool(true) { continue }
                out.append(try body(item, args[args.count - 1]).get())
            }
            return .array(out)
        default:
            var out: [JSONValue] = []
            for item in range {
                if try body(item, args[1]).get() == .bool(true) { out.append(item) }
            }
            return .array(out)
        }
    }
}
