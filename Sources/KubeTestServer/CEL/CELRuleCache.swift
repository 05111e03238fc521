import Synchronization

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
    private static let entries = Mutex<[String: Parsed]>([:])

    static func parsed(_ text: String) -> Parsed {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let ast: Result<CELNode, CELSyntaxError>
        do {
            ast = .success(try CELParser.parse(text))
        } catch {
            ast = .failure(error)
        }
        let parsed = Parsed(ast: ast, mentionsOldSelf: CELRules.mentionsOldSelf(text))
        entries.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = parsed
        }
        return parsed
    }

    /// Texts held (for tests).
    static var count: Int { entries.withLock { $0.count } }
}
