@testable import KubeTestServer
import KubeAPI
import Testing

/// The CEL subset: table-driven over parser and evaluator.
struct CELTests {
    static let object: JSONValue = ["size": 7, "color": "blue", "name": "a/b", "tags": ["x", "yy"],
                                    "revise": true, "stage": "dev", "ratio": 0.5, "labels": ["k": "v"]]

    @Test(arguments: [
        ("self.size > 5", true), ("self.size <= 5 || self.color != 'blue'", false),
        ("!(self.revise && (self.stage == 'rethink' || self.stage == 'ai-repair'))", true),
        ("has(self.pullRequest) ? self.pullRequest > 0 : true", true), ("!has(self.missing)", true),
        ("self.name.matches('^[a-z]+/[a-z]+$')", true), ("self.name.startsWith('a/')", true),
        ("size(self.tags) == 2", true), ("self.tags.size() == 2", true), ("self.tags.all(t, size(t) >= 1)", true),
        ("self.tags.exists(t, t == 'yy')", true), ("self.tags.exists_one(t, t.startsWith('y'))", true),
        ("self.stage in ['dev', 'qa']", true), ("'k' in self.labels", true), ("self.ratio < 1", true),
        ("self.size % 2 == 1 && self.size / 2 == 3", true), ("self.size + 1 == 8", true),
        ("self.tags.map(t, t + '!')[0] == 'x!'", true), ("self.tags.filter(t, t == 'x').size() == 1", true),
        ("duration('1h') > duration('30m')", true), ("self.missing == 1 || true", true),
        ("int('42') == 42 && string(7) == '7'", true), ("self.labels['k'] == 'v'", true),
    ])
    func evaluates(rule: String, expected: Bool) throws {
        let ast = try CELParser.parse(rule)
        let result = try CELEvaluator(variables: ["self": Self.object]).eval(ast)
        #expect(result == .bool(expected))
    }

    @Test func missingFieldsAreEvaluationErrors() throws {
        let ast = try CELParser.parse("self.missing > 1")
        #expect(throws: CELEvalError.self) { try CELEvaluator(variables: ["self": Self.object]).eval(ast) }
    }

    @Test(arguments: ["self.size >", "self.size ^ 2", "'open"])
    func syntaxErrors(rule: String) {
        #expect(throws: CELSyntaxError.self) { try CELParser.parse(rule) }
    }

    @Test func transitionRulesRunOnlyOnUpdate() {
        let schema: JSONValue = ["type": "object", "x-kubernetes-validations": [["rule": "self.size >= oldSelf.size", "message": "cannot shrink"]]]
        var errors: [FieldError] = []
        CELRules.evaluate(["size": 1], old: nil, schema: schema, path: "spec", errors: &errors)
        #expect(errors.isEmpty)
        CELRules.evaluate(["size": 1], old: ["size": 2], schema: schema, path: "spec", errors: &errors)
        #expect(errors.first?.message == "Invalid value: cannot shrink", "objects: no value shown, as real")
    }

    @Test func messageExpressionFormatsTheFailure() {
        let schema: JSONValue = ["type": "object", "x-kubernetes-validations": [
            ["rule": "self.size <= 5", "message": "static", "messageExpression": "'size ' + string(self.size) + ' exceeds 5'"]]]
        var errors: [FieldError] = []
        CELRules.evaluate(["size": 9], old: nil, schema: schema, path: "spec", errors: &errors)
        #expect(errors.first?.message == "Invalid value: size 9 exceeds 5")
        #expect(errors.first?.field == "spec")
    }
}
