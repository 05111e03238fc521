import KubeAPI

/// The outcome of compiling one `x-kubernetes-validations` entry, as apiextensions' `compileRule`
/// reports it: an error detail (`compilation failed: ERROR: <input>:1:8: …`), the estimated
/// maximum cost of one evaluation, and whether the rule is a transition rule.
struct CELCompilation: Sendable {
    var error: String?
    var cost: UInt64 = 0
    var usesOldSelf = false
    var messageExpressionError: String?
    var messageExpressionCost: UInt64?
}

enum CELCompiler {
    /// Parses and type-checks `rule` with `self` (and `oldSelf`) of the declaration `decl`.
    static func compile(rule: String, decl: CELDecl, optionalOldSelf: Bool = false, messageExpression: String? = nil) -> CELCompilation {
        var result = CELCompilation()
        let selfVar = CELChecked(type: decl.celType, decl: decl)
        var oldSelf = selfVar
        if optionalOldSelf { oldSelf = CELChecked(type: .optional(decl.celType), decl: decl) }
        switch check(rule, variables: ["self": selfVar, "oldSelf": oldSelf]) {
        case .failure(let detail):
            result.error = "compilation failed: " + detail.detail
            return result
        case .success(let (checked, usesOldSelf)):
            result.usesOldSelf = usesOldSelf
            guard checked.type == .bool else {
                result.error = "cel expression must evaluate to a bool"
                return result
            }
            result.cost = checked.cost.max
        }
        if let messageExpression, !messageExpression.isEmpty {
            switch check(messageExpression, variables: ["self": selfVar, "oldSelf": oldSelf]) {
            case .failure(let detail):
                result.messageExpressionError = "messageExpression compilation failed: " + detail.detail
            case .success(let (checked, _)):
                if checked.type != .string {
                    result.messageExpressionError = "messageExpression must evaluate to a string"
                } else {
                    result.messageExpressionCost = checked.cost.max
                }
            }
        }
        return result
    }

    struct Failure: Error { var detail: String }

    /// The checked expression, or cel-go's `issues.String()` (errors by position, one per line).
    static func check(_ text: String, variables: [String: CELChecked]) -> Result<(CELChecked, Bool), Failure> {
        let ast: CELNode
        do throws(CELSyntaxError) {
            ast = try CELParser.parse(text)
        } catch {
            return .failure(Failure(detail: CELParser.display(text, offset: error.offset, message: error.message)))
        }
        var checker = CELChecker(variables: variables)
        let checked = checker.check(ast)
        if !checker.errors.isEmpty {
            let sorted = checker.errors.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            return .failure(Failure(detail: sorted.map { CELParser.display(text, offset: $0.element.offset, message: $0.element.message) }
                .joined(separator: "\n")))
        }
        return .success((checked, checker.usesOldSelf))
    }
}
