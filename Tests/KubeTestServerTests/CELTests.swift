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

    @Test(arguments: ["self.size >", "self.size ^ 2", "'open", "self.(x)", "[1, 2"])
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

    /// The library functions at evaluation time, each with a rule that must hold.
    @Test(arguments: [
        "self.?missing.orValue(3) == 3", "self.?size.orValue(0) == 7", "!self.?missing.hasValue()", "optional.of(1).value() == 1",
        "optional.none().orValue('x') == 'x'", "self.labels[?'k'].value() == 'v'", "self.tags[?5].orValue('none') == 'none'",
        "quantity('2Gi').isGreaterThan(quantity('1Gi'))", "quantity('500m').compareTo(quantity('0.5')) == 0", "quantity('1k').asInteger() == 1000",
        "isQuantity('1Mi') && !isQuantity('1 Mi')", "quantity('1Gi') == quantity('1024Mi')", "quantity('1.5').isInteger() == false",
        "quantity('1Gi').add(quantity('1Gi')).isGreaterThan(quantity('2000Mi'))", "quantity('-2').sign() == -1",
        "url('https://example.com:8443/a%20b?x=1&x=2').getHost() == 'example.com:8443'", "url('https://example.com/p').getScheme() == 'https'",
        "url('https://example.com:8443/').getPort() == '8443'", "url('https://example.com/a%20b').getEscapedPath() == '/a%20b'",
        "url('https://e.com/?x=1&x=2').getQuery()['x'] == ['1', '2']", "isURL('/absolute/path') && !isURL('relative')",
        "!format.dns1123Label().validate('good-name').hasValue()", "format.dns1123Label().validate('Bad_Name').hasValue()",
        "format.named('dns1123Subdomain').value().validate('a.b.c') == optional.none()", "!format.named('nope').hasValue()",
        "format.qualifiedName().validate('example.com/Name') == optional.none()", "format.labelValue().validate('-x').hasValue()",
        "[1, 2, 3].isSorted() && ![3, 1].isSorted()", "[1, 2, 3].sum() == 6", "[3, 1, 2].min() == 1", "['b', 'a'].max() == 'b'",
        "[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2", "'hello'.indexOf('l') == 2 && 'hello'.lastIndexOf('l') == 3",
        "['a', 'b'].join('-') == 'a-b'", "'a-b-c'.replace('-', '+') == 'a+b+c'", "'a-b-c'.replace('-', '+', 1) == 'a+b-c'",
        "'hello'.substring(1, 3) == 'el'", "'hello'.charAt(1) == 'e'", "'a,b'.split(',') == ['a', 'b']", "'  x '.trim() == 'x'",
        "'%s is %d'.format(['x', 3]) == 'x is 3'", "sets.contains([1, 2, 3], [1, 3])", "sets.equivalent([1, 2], [2, 1, 1])",
        "sets.intersects([1, 2], [2, 5])", "lists.range(3) == [0, 1, 2]", "[1, 1, 2].distinct() == [1, 2]", "[[1], [2]].flatten() == [1, 2]",
        "duration('1h30m') == duration('90m')", "duration('90s').getSeconds() == 90", "timestamp('2024-03-01T10:00:00Z').getHours() == 10",
        "timestamp('2024-03-01T10:00:00Z') - timestamp('2024-03-01T09:00:00Z') == duration('1h')",
        "timestamp('2024-03-01T10:00:00Z') + duration('24h') > timestamp('2024-03-01T10:00:00Z')", "timestamp('2024-03-01T10:00:00Z').getMonth() == 2",
        "type(self.size) == int && type(self.name) == string && type(self.tags) == list", "dyn(self.size) == 7",
        "self.tags.map(t, t.size() > 1, t) == ['yy']", "{'a': 1}['a'] == 1", "'abc123'.find('[0-9]+') == '123'",
        "'a1b22'.findAll('[0-9]+') == ['1', '22']", "self.name.matches(r'^[a-z]/[a-z]$')", "0x10 == 16 && 3u == 3u",
    ])
    func libraryFunctionsEvaluate(rule: String) throws {
        let ast = try CELParser.parse(rule)
        let result = try CELEvaluator(variables: ["self": Self.object]).eval(ast)
        #expect(result == .bool(true))
    }

    @Test func libraryErrorsAreEvaluationErrors() throws {
        for rule in ["quantity('nope') == quantity('1')", "url('not a url') == url('/')", "optional.none().value() == 1", "[].min() == 1"] {
            let ast = try CELParser.parse(rule)
            #expect(throws: CELEvalError.self, "\(rule)") { try CELEvaluator(variables: ["self": Self.object]).eval(ast) }
        }
    }
}
