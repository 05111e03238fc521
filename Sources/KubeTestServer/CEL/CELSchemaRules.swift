import Foundation
import KubeAPI

/// Compiles every `x-kubernetes-validations` rule of a CRD version's schema the way
/// apiextensions-apiserver does at CRD create/update: type-checked against the schema node's
/// CEL declaration, its estimated cost multiplied by how often the node can occur in one
/// request, checked against the per-rule and per-CRD budgets, and transition rules refused
/// where old and new values cannot be correlated.
enum CELSchemaRules {
    private struct Walk {
        var errors: [FieldError] = []
        var total: UInt64 = 0
        var mostExpensive: [(path: String, cost: UInt64)] = []

        mutating func observe(_ path: String, _ cost: UInt64) {
            total = CELRange.add(total, cost)
            guard cost >= CELCostLimits.perCRD / 100 else { return }
            mostExpensive.append((path, cost))
            mostExpensive.sort { $0.cost > $1.cost }
            if mostExpensive.count > 4 { mostExpensive.removeLast() }
        }
    }

    static func validate(schema: JSONValue, path: String) -> [FieldError] {
        guard let root = CELDecl.from(schema, isResourceRoot: true) else { return [] }
        var walk = Walk()
        visit(schema, root, path: path, cardinality: 1, uncorrelatable: nil, &walk)
        if walk.total > CELCostLimits.perCRD {
            for e in walk.mostExpensive {
                walk.errors.append(CRDSchemaChecks.forbidden(e.path, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"))
            }
            walk.errors.append(CRDSchemaChecks.forbidden(path, CELCostLimits.message(
                "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", cost: walk.total, limit: CELCostLimits.perCRD)))
        }
        return walk.errors
    }

    /// How many elements a node multiplies its children's occurrences by (`extractMaxElements`);
    /// nil when unbounded.
    private static func maxElements(_ s: JSONValue) -> UInt64? {
        switch s["type"]?.stringValue {
        case "object":
            if s["additionalProperties"] != nil { return s["maxProperties"]?.intValue.map { UInt64(max(0, $0)) } }
            return 1
        case "array": return s["maxItems"]?.intValue.map { UInt64(max(0, $0)) }
        default: return 1
        }
    }

    private static func visit(_ s: JSONValue, _ decl: CELDecl, path: String, cardinality: UInt64?, uncorrelatable: String?, _ walk: inout Walk) {
        for (i, rule) in (s["x-kubernetes-validations"]?.arrayValue ?? []).enumerated() {
            compile(rule, i, decl, path: path, cardinality: cardinality, uncorrelatable: uncorrelatable, &walk)
        }
        let childCardinality = cardinality.flatMap { c in maxElements(s).map { CELRange.mul(c, $0) } }
        let atomicMap = s["x-kubernetes-map-type"]?.stringValue == "atomic"
        for name in (s["properties"]?.objectValue ?? [:]).keys.sorted() {
            guard let sub = s["properties"]?[name], let escaped = CELNames.escape(name), let d = decl.fields[escaped] else { continue }
            visit(sub, d, path: "\(path).properties[\(name)]", cardinality: childCardinality,
                  uncorrelatable: uncorrelatable ?? (atomicMap ? path : nil), &walk)
        }
        if let add = s["additionalProperties"], add.objectValue != nil, let d = decl.elem {
            visit(add, d, path: path + ".additionalProperties", cardinality: childCardinality, uncorrelatable: uncorrelatable, &walk)
        }
        if let items = s["items"], items.objectValue != nil, let d = decl.elem {
            let correlatable = s["x-kubernetes-list-type"]?.stringValue == "map"
            visit(items, d, path: path + ".items", cardinality: childCardinality,
                  uncorrelatable: uncorrelatable ?? (correlatable ? nil : path), &walk)
        }
    }

    private static func compile(_ rule: JSONValue, _ i: Int, _ decl: CELDecl, path: String, cardinality: UInt64?,
                                uncorrelatable: String?, _ walk: inout Walk) {
        guard let text = rule["rule"]?.stringValue, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        let rulePath = "\(path).x-kubernetes-validations[\(i)]"
        let optionalOldSelf = rule["optionalOldSelf"]?.boolValue == true
        let result = CELCompiler.compile(rule: text, decl: decl, optionalOldSelf: optionalOldSelf,
                                         messageExpression: rule["messageExpression"]?.stringValue)
        let times = cardinality ?? CELCostLimits.maxCardinality(minSize: decl.minSerializedSize)
        let cost = CELRange.mul(result.cost, times)
        if cost > CELCostLimits.perRule {
            walk.errors.append(CRDSchemaChecks.forbidden(rulePath + ".rule", CELCostLimits.message("estimated rule cost", cost: cost, limit: CELCostLimits.perRule)))
        }
        walk.observe(rulePath + ".rule", cost)
        let shownRule = GoJSON.validationRule(rule)
        if let error = result.error {
            walk.errors.append(CRDSchemaChecks.invalid(rulePath + ".rule", shownRule, error))
        }
        if let error = result.messageExpressionError {
            walk.errors.append(CRDSchemaChecks.invalid(rulePath + ".messageExpression", shownRule, error))
        } else if let messageCost = result.messageExpressionCost {
            if messageCost > CELCostLimits.perRule {
                walk.errors.append(CRDSchemaChecks.forbidden(rulePath + ".messageExpression",
                                                             CELCostLimits.message("estimated messageExpression cost", cost: messageCost, limit: CELCostLimits.perRule)))
            }
            walk.observe(rulePath + ".messageExpression", messageCost)
        }
        if result.usesOldSelf {
            if let uncorrelatable {
                walk.errors.append(CRDSchemaChecks.invalid(rulePath + ".rule", GoJSON.quote(text),
                                                           "oldSelf cannot be used on the uncorrelatable portion of the schema within \(uncorrelatable)"))
            }
        } else if let o = rule["optionalOldSelf"]?.boolValue {
            walk.errors.append(CRDSchemaChecks.invalid(rulePath + ".optionalOldSelf", o ? "true" : "false", "may not be set if oldSelf is not used in rule"))
        }
    }
}
