/// The `labelSelector` grammar and error texts of `k8s.io/apimachinery/pkg/labels` (its lexer and
/// recursive-descent parser, ported): `found ',', expected: identifier after ','`,
/// `unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of …`,
/// `unable to parse requirement: values[0][env]: Invalid value: "a/b": a valid label must …`.
/// The error text becomes a 400 BadRequest message as is.
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier, end, comma, closePar, openPar, doesNotExist, equals, doubleEquals, notEquals
        case greaterThan, lessThan, `in`, notIn
    }

    private var items: [(Token, String)] = []
    private var position = 0

    static let keywords: [String: Token] = [
        ")": .closePar, ",": .comma, "!": .doesNotExist, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "in": .in, "<": .lessThan, "!=": .notEquals, "notin": .notIn, "(": .openPar,
    ]
    static let binaryOperators = "in, notin, =, ==, !=, gt, lt"

    static func isSpecial(_ c: UInt8) -> Bool { Array("=!(),><".utf8).contains(c) }
    static func isWhitespace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }

    /// The requirements of `text`, or the parser's error text.
    static func parse(_ text: String) -> Result<[LabelSelector.Requirement], ParseError> {
        var p = LabelSelectorParser()
        p.items = lex(Array(text.utf8))
        return p.parseAll()
    }

    struct ParseError: Error { var message: String }

    private static func lex(_ s: [UInt8]) -> [(Token, String)] {
        var pos = 0
        var out: [(Token, String)] = []
        func read() -> UInt8 {
            guard pos < s.count else { pos += 1; return 0 }
            defer { pos += 1 }
            return s[pos]
        }
        while true {
            var ch = read()
            while isWhitespace(ch) { ch = read() }
            if ch == 0 { out.append((.end, "")); return out }
            pos -= 1
            var buffer: [UInt8] = []
            if isSpecial(ch) {
                var last: (Token, String)?
                while true {
                    let c = read()
                    if c == 0 { break }
                    guard isSpecial(c) else { pos -= 1; break }
                    buffer.append(c)
                    if let t = keywords[String(decoding: buffer, as: UTF8.self)] {
                        last = (t, String(decoding: buffer, as: UTF8.self))
                    } else if last != nil {
                        pos -= 1
                        break
                    }
                }
                out.append(last ?? (.identifier, String(decoding: buffer, as: UTF8.self)))
            } else {
                while true {
                    let c = read()
                    if c == 0 { break }
                    if isSpecial(c) || isWhitespace(c) { pos -= 1; break }
                    buffer.append(c)
                }
                let word = String(decoding: buffer, as: UTF8.self)
                out.append((keywords[word] ?? .identifier, word))
            }
        }
    }

    /// The current token; in a values context `in`/`notin` are identifiers.
    private func lookahead(values: Bool) -> (Token, String) {
        let (t, l) = items[min(position, items.count - 1)]
        return (values && (t == .in || t == .notIn)) ? (.identifier, l) : (t, l)
    }

    private mutating func consume(values: Bool) -> (Token, String) {
        let r = lookahead(values: values)
        position += 1
        return r
    }

    private mutating func parseAll() -> Result<[LabelSelector.Requirement], ParseError> {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let (tok, lit) = lookahead(values: true)
            switch tok {
            case .identifier, .doesNotExist:
                switch parseRequirement() {
                case .failure(let e): return .failure(ParseError(message: "unable to parse requirement: \(e.message)"))
                case .success(let r): requirements.append(r)
                }
                let (t, l) = consume(values: true)
                switch t {
                case .end: return .success(requirements)
                case .comma:
                    let (t2, l2) = lookahead(values: true)
                    if t2 != .identifier && t2 != .doesNotExist {
                        return .failure(ParseError(message: "found '\(l2)', expected: identifier after ','"))
                    }
                default: return .failure(ParseError(message: "found '\(l)', expected: ',' or 'end of string'"))
                }
            case .end:
                return .success(requirements)
            default:
                return .failure(ParseError(message: "found '\(lit)', expected: !, identifier, or 'end of string'"))
            }
        }
    }

    private mutating func parseRequirement() -> Result<LabelSelector.Requirement, ParseError> {
        var (tok, key) = consume(values: true)
        var doesNotExist = false
        if tok == .doesNotExist {
            doesNotExist = true
            (tok, key) = consume(values: true)
        }
        guard tok == .identifier else { return .failure(ParseError(message: "found '\(key)', expected: identifier")) }
        if let e = LabelSyntax.keyError(key) { return .failure(ParseError(message: "<nil>: \(e)")) }
        if doesNotExist { return .success(.init(key: key, op: .doesNotExist)) }
        let (next, _) = lookahead(values: true)
        if next == .end || next == .comma { return .success(.init(key: key, op: .exists)) }
        let (opTok, opLit) = consume(values: false)
        var values: [String]
        switch opTok {
        case .in, .notIn:
            switch parseValues() {
            case .failure(let e): return .failure(e)
            case .success(let v): values = v
            }
        case .equals, .doubleEquals, .notEquals, .greaterThan, .lessThan:
            let (t, _) = lookahead(values: true)
            if t == .end || t == .comma {
                values = [""]
            } else {
                let (t2, l2) = consume(values: true)
                guard t2 == .identifier else { return .failure(ParseError(message: "found '\(l2)', expected: identifier")) }
                values = [l2]
            }
        default:
            return .failure(ParseError(message: "found '\(opLit)', expected: \(Self.binaryOperators)"))
        }
        var errors: [String] = []
        if opTok == .greaterThan || opTok == .lessThan {
            for (i, v) in values.enumerated() where Int64(v) == nil {
                errors.append("values[\(i)]: Invalid value: \(LabelSyntax.json(v)): for 'Gt', 'Lt' operators, the value must be an integer")
            }
        }
        for (i, v) in values.enumerated() {
            if let e = LabelSyntax.valueError(v) { errors.append("values[\(i)][\(key)]: \(e.replacingOccurrences(of: "<VALUE>", with: LabelSyntax.json(v)))") }
        }
        if !errors.isEmpty {
            return .failure(ParseError(message: errors.count == 1 ? errors[0] : "[\(errors.joined(separator: ", "))]"))
        }
        let op: LabelSelector.Operator
        switch opTok {
        case .in: op = .in(Set(values))
        case .notIn: op = .notIn(Set(values))
        case .notEquals: op = .notEquals(values[0])
        case .greaterThan: op = .greaterThan(Int64(values[0]) ?? 0)
        case .lessThan: op = .lessThan(Int64(values[0]) ?? 0)
        default: op = .equals(values[0])
        }
        return .success(.init(key: key, op: op))
    }

    private mutating func parseValues() -> Result<[String], ParseError> {
        let (t, l) = consume(values: true)
        guard t == .openPar else { return .failure(ParseError(message: "found '\(l)' expected: '('")) }
        let (t2, l2) = lookahead(values: true)
        switch t2 {
        case .identifier, .comma:
            var set: [String] = []
            while true {
                let (t3, l3) = consume(values: true)
                switch t3 {
                case .identifier:
                    set.append(l3)
                    let (t4, l4) = lookahead(values: true)
                    if t4 == .comma { continue }
                    if t4 == .closePar { position += 1; return .success(set) }
                    return .failure(ParseError(message: "found '\(l4)', expected: ',' or ')'"))
                case .comma:
                    if set.isEmpty { set.append("") }
                    let (t4, _) = lookahead(values: true)
                    if t4 == .closePar { set.append(""); position += 1; return .success(set) }
                    if t4 == .comma { set.append("") }
                default:
                    return .failure(ParseError(message: "found '\(l3)', expected: ',', or identifier"))
                }
            }
        case .closePar:
            position += 1
            return .success([""])
        default:
            return .failure(ParseError(message: "found '\(l2)', expected: ',', ')' or identifier"))
        }
    }
}

/// Label key and value syntax (`IsQualifiedName`, `IsValidLabelValue`) with the apiserver's texts.
enum LabelSyntax {
    static let qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let nameRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '\(qualifiedNameFmt)')"

    static func json(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
    static func json(_ a: [String]) -> String { "[" + a.map { json($0) }.joined(separator: ",") + "]" }

    static func isQualifiedNamePart(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        guard let f = b.first, let l = b.last, alnum(f), alnum(l) else { return false }
        return b.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// `Invalid value: "<key>": …` when `key` is not a qualified name.
    static func keyError(_ key: String) -> String? {
        var errs: [String] = []
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var name = key
        switch parts.count {
        case 1: break
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errs.append("prefix part must be non-empty")
            } else if !ObjectNames.isDNS1123Subdomain(parts[0]) {
                if parts[0].utf8.count > 253 { errs.append("prefix part must be no more than 253 characters") }
                else {
                    errs.append("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
                }
            }
        default:
            return "Invalid value: \(json(key)): a qualified name \(nameRule) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { errs.append("name part must be non-empty") }
        else if name.utf8.count > 63 { errs.append("name part must be no more than 63 characters") }
        if !isQualifiedNamePart(name) { errs.append("name part \(nameRule)") }
        return errs.isEmpty ? nil : "Invalid value: \(json(key)): \(errs.joined(separator: "; "))"
    }

    /// `Invalid value: <VALUE>: …` (placeholder for the value) when `value` is not a label value.
    static func valueError(_ value: String) -> String? {
        var errs: [String] = []
        if value.utf8.count > 63 { errs.append("must be no more than 63 characters") }
        if !value.isEmpty && !isQualifiedNamePart(value) {
            errs.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(\(qualifiedNameFmt))?')")
        }
        return errs.isEmpty ? nil : "Invalid value: <VALUE>: \(errs.joined(separator: "; "))"
    }
}
