@testable import KubeTestServer
import KubeAPI
import Testing

/// CRD-time compilation of `x-kubernetes-validations`: type errors, undeclared names, result
/// types and the cost budget, each with the message the real apiextensions-apiserver gives.
struct CELCompileTests {
    static let base = "spec.validation.openAPIV3Schema.properties[spec]"

    /// A root schema whose `spec` has these properties and this rule.
    static func schema(_ rule: JSONValue, _ props: JSONValue = defaultProps, at sub: String? = nil) -> JSONValue {
        var spec: JSONValue = ["type": "object", "properties": props]
        if let sub {
            spec.set(path: ["properties", sub, "x-kubernetes-validations"], to: [rule])
        } else {
            spec["x-kubernetes-validations"] = [rule]
        }
        return ["type": "object", "properties": ["spec": spec]]
    }

    static let defaultProps: JSONValue = [
        "a": ["type": "string"], "name": ["type": "string", "maxLength": 63], "n": ["type": "integer"], "flag": ["type": "boolean"],
        "list": ["type": "array", "items": ["type": "string"]],
        "short": ["type": "array", "maxItems": 10, "items": ["type": "string", "maxLength": 64]],
        "set": ["type": "array", "items": ["type": "string", "maxLength": 10]],
        "labels": ["type": "object", "additionalProperties": ["type": "string"]],
        "port": ["x-kubernetes-int-or-string": true],
    ]

    static func errors(_ schema: JSONValue) -> [FieldError] {
        CRDValidation.validateSchema(schema, path: "spec.validation.openAPIV3Schema")
    }

    static func ruleJSON(_ rule: String) -> String {
        "{\"Rule\":\(GoJSON.quote(rule)),\"Message\":\"\",\"MessageExpression\":\"\",\"Reason\":null,\"FieldPath\":\"\",\"OptionalOldSelf\":null}"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var rule: String
        var detail: String
        var testDescription: String { rule }
    }

    static let typeErrors: [Case] = [
        Case(rule: "self.a > 5", detail: "compilation failed: ERROR: <input>:1:8: found no matching overload for '_>_' applied to '(string, int)'\n | self.a > 5\n | .......^"),
        Case(rule: "self.missing == 1", detail: "compilation failed: ERROR: <input>:1:5: undefined field 'missing'\n | self.missing == 1\n | ....^"),
        Case(rule: "foo(self.a)", detail: "compilation failed: ERROR: <input>:1:4: undeclared reference to 'foo' (in container '')\n | foo(self.a)\n | ...^"),
        Case(rule: "self.a.startsWith(1)", detail: "compilation failed: ERROR: <input>:1:18: found no matching overload for 'startsWith' applied to 'string.(int)'\n | self.a.startsWith(1)\n | .................^"),
        Case(rule: "self.n + 'x' == 'y'", detail: "compilation failed: ERROR: <input>:1:8: found no matching overload for '_+_' applied to '(int, string)'\n | self.n + 'x' == 'y'\n | .......^"),
        Case(rule: "self.n == 1.0", detail: "compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(int, double)'\n | self.n == 1.0\n | .......^"),
        Case(rule: "!self.a", detail: "compilation failed: ERROR: <input>:1:1: found no matching overload for '!_' applied to '(string)'\n | !self.a\n | ^"),
        Case(rule: "self.n.all(x, x > 0)", detail: "compilation failed: ERROR: <input>:1:5: expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)\n | self.n.all(x, x > 0)\n | ....^"),
        Case(rule: "self.a.foo", detail: "compilation failed: ERROR: <input>:1:7: type 'string' does not support field selection\n | self.a.foo\n | ......^"),
        Case(rule: "['a', 1].size() == 2", detail: "compilation failed: ERROR: <input>:1:7: expected type 'string' but found 'int'\n | ['a', 1].size() == 2\n | ......^"),
        Case(rule: "self.n", detail: "cel expression must evaluate to a bool"),
        Case(rule: "self.port", detail: "cel expression must evaluate to a bool"),
        Case(rule: "isIP(self.a)", detail: "compilation failed: ERROR: <input>:1:5: function 'isIP' is not supported by the test server (KubeTestServer)\n | isIP(self.a)\n | ....^"),
    ]

    @Test(arguments: typeErrors)
    func typeErrorsAreRejectedWithTheRealText(_ c: Case) {
        let errs = Self.errors(Self.schema(["rule": .string(c.rule)]))
        #expect(errs.count == 1, "\(errs)")
        #expect(errs.first?.field == "\(Self.base).x-kubernetes-validations[0].rule")
        #expect(errs.first?.reason == "FieldValueInvalid")
        #expect(errs.first?.message == "Invalid value: \(Self.ruleJSON(c.rule)): \(c.detail)", "\(errs)")
    }

    static let accepted = [
        "self.a.size() < 10 && self.n >= 0", "self.?n.orValue(0) >= 0", "has(self.flag) ? self.flag : true",
        "self.short.all(x, x.matches('^[a-z]+$'))", "self.set.all(x, x.startsWith('v'))", "'k' in self.labels",
        "type(self.port) == string ? self.port.matches('^[0-9]+%$') : self.port > 0", "self.short.isSorted()",
        "quantity('1Gi').isLessThan(quantity('2Gi'))", "isURL(self.a) && url(self.a).getScheme() == 'https'",
        "!format.dns1123Label().validate(self.name).hasValue()", "self.a == oldSelf.a", "sets.contains(self.short, ['a'])",
        "self.short.exists_one(x, x == 'a')", "self.short.map(x, x + '!').size() >= 0", "duration('1h') > duration('30m')",
        "timestamp('2024-01-01T00:00:00Z') + duration('1h') > timestamp('2024-01-01T00:00:00Z')", "self.a.lowerAscii() != ''",
        "'%s-%s'.format([self.a, self.a]) != ''", "self.short.filter(x, x != '').size() <= 10", "self.n in [1, 2, 3]",
    ]

    @Test(arguments: accepted)
    func wellTypedRulesCompile(_ rule: String) {
        let errs = Self.errors(Self.schema(["rule": .string(rule)]))
        #expect(errs.isEmpty, "\(errs)")
    }

    @Test func unboundedNestedRulesExceedTheBudget() {
        let errs = Self.errors(Self.schema(["rule": "self.list.all(x, self.list.all(y, x.matches(y)))"]))
        let rule = "\(Self.base).x-kubernetes-validations[0].rule"
        let hint = "(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
        #expect(errs.map(\.field) == [rule, rule, "spec.validation.openAPIV3Schema"], "\(errs)")
        #expect(errs.first?.message == "Forbidden: estimated rule cost exceeds budget by factor of more than 100x \(hint)")
        #expect(errs.dropFirst().first?.message == "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema")
        #expect(errs.last?.message == "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x \(hint)")
    }

    @Test func namedFormatsOverUnboundedStringsJustExceedTheBudget() {
        // validate() costs size × 0.1 × 32: (3 MiB − 2) × 3.2 is 10 066 333, just over 10 000 000.
        let errs = Self.errors(Self.schema(["rule": "!format.dns1123Label().validate(self.a).hasValue()"]))
        #expect(errs.map(\.message) == ["Forbidden: estimated rule cost exceeds budget by factor of 1.006634x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"])
    }

    @Test func boundsBringTheSameRuleUnderBudget() {
        #expect(!Self.errors(Self.schema(["rule": "self.list.all(x, x.matches('^[a-z]+$'))"])).isEmpty)
        #expect(Self.errors(Self.schema(["rule": "self.short.all(x, x.matches('^[a-z]+$'))"])).isEmpty)
    }

    @Test func itemRulesAreMultipliedByTheListCardinality() {
        let unbounded: JSONValue = ["names": ["type": "array", "items": ["type": "string", "x-kubernetes-validations": [["rule": "self.matches('^[a-z]+$')"]]]]]
        let errs = Self.errors(Self.schema(["rule": "true"], unbounded))
        #expect(errs.first?.field == "\(Self.base).properties[names].items.x-kubernetes-validations[0].rule", "\(errs)")
        #expect(errs.first?.message.hasPrefix("Forbidden: estimated rule cost exceeds budget by factor of") == true)
        let bounded: JSONValue = ["names": ["type": "array", "maxItems": 20,
                                            "items": ["type": "string", "maxLength": 63, "x-kubernetes-validations": [["rule": "self.matches('^[a-z]+$')"]]]]]
        #expect(Self.errors(Self.schema(["rule": "true"], bounded)).isEmpty)
    }

    @Test func transitionRulesNeedCorrelatableParents() {
        let props: JSONValue = ["items": ["type": "array", "maxItems": 5,
                                          "items": ["type": "string", "maxLength": 5, "x-kubernetes-validations": [["rule": "self == oldSelf"]]]]]
        let errs = Self.errors(Self.schema(["rule": "true"], props))
        #expect(errs.map(\.message) == ["Invalid value: \"self == oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the schema within \(Self.base).properties[items]"])
    }

    @Test func messageExpressionsMustBeStrings() {
        let errs = Self.errors(Self.schema(["rule": "self.n > 0", "messageExpression": "self.n"]))
        #expect(errs.map(\.field) == ["\(Self.base).x-kubernetes-validations[0].messageExpression"])
        #expect(errs.first?.message.hasSuffix(": messageExpression must evaluate to a string") == true, "\(errs)")
    }

    @Test func costMessagesUseGoFactorFormatting() {
        #expect(CELCostLimits.message("estimated rule cost", cost: 12_000_000, limit: 10_000_000).hasPrefix("estimated rule cost exceeds budget by factor of 1.200000x "))
        #expect(CELCostLimits.message("estimated rule cost", cost: 25_000_000, limit: 10_000_000).hasPrefix("estimated rule cost exceeds budget by factor of 2.5x "))
    }
}
