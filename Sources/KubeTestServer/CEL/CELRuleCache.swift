/// Parsed CEL rule texts, so a rule of a CRD schema is lexed and parsed once, not on every write
/// that validates against it (the `x-kubernetes-validations` of a schema are the same text for
/// every object; parsing them was about a sixth of a create's CPU).
///
/// Contract: `parsed(text)` answers exactly what `CELParser.parse(text)` (and
/// `CELRules.mentionsOldSelf(text)`) would: the AST or the syntax error. Parsing is a pure
/// function of the text, so a cached answer is never stale. Memory is bounded: past `limit`
/// distinct texts the cache starts over.
enum CELRuleCache {
    struct Parsed: Sendable {
        var ast: Result<CELNode, CELSyntaxError>
        /// The rule references `oldSelf` as an identifier (a transition rule).
        var mentionsOldSelf: Bool
    }

    static let limit = 4096
    private static let memo = BoundedMemo<Parsed>(limit: limit)

    static func parsed(_ text: String) -> Parsed {
        memo.value(for: text) { text in
            let ast: Result<CELNode, CELSyntaxError>
            do throws(CELSyntaxError) {
                ast = .success(try CELParser.parse(text))
            } catch {
                ast = .failure(error)
            }
            return Parsed(ast: ast, mentionsOldSelf: CELRules.mentionsOldSelf(text))
        }
    }

    /// Texts held (for tests).
    static var count: Int { memo.count }
}
