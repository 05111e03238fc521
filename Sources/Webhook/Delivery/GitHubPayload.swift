import KubeAPI
import Runs

/// A field of a delivery that is missing or has the wrong type: the delivery is malformed (400).
public struct PayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Dotted path, e.g. `issue.number`.
    public var field: String
    public var expected: String
    public var description: String { "\(field): expected \(expected)" }
}

/// Typed, checked reads of the parts of GitHub webhook payloads the adapter uses (GitHub's
/// documented shapes for `issues`, `pull_request`, `pull_request_review`): nothing else is read,
/// so unknown or extra fields never matter.
///
/// Contract: every accessor either returns a value of the documented type or throws
/// `PayloadError` naming the field; it never traps.
public struct GitHubPayload: Sendable {
    public let json: JSONValue

    public init(_ json: JSONValue) { self.json = json }

    public func string(_ path: String...) throws(PayloadError) -> String {
        guard let v = json[path: path]?.stringValue else { throw PayloadError(field: path.joined(separator: "."), expected: "string") }
        return v
    }

    public func optionalString(_ path: String...) throws(PayloadError) -> String? {
        guard let v = json[path: path], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw PayloadError(field: path.joined(separator: "."), expected: "string or null") }
        return s
    }

    /// A positive integer (issue and pull request numbers).
    public func number(_ path: String...) throws(PayloadError) -> Int64 {
        guard let v = json[path: path]?.intValue, v >= 1 else {
            throw PayloadError(field: path.joined(separator: "."), expected: "positive integer")
        }
        return v
    }

    /// The `labels` array of an issue or pull request as a snapshot in `scope`: names kept as
    /// GitHub spells them; at most `RunValidation.maxLabels`, names longer than the CRD allows skipped.
    public func labels(_ path: String..., scope: LabelScope) throws(PayloadError) -> [RunLabel] {
        let field = path.joined(separator: ".")
        guard let v = json[path: path], !v.isNull else { return [] }
        guard let items = v.arrayValue else { throw PayloadError(field: field, expected: "array") }
        var out: [RunLabel] = []
        for (i, item) in items.enumerated() {
            guard let name = item["name"]?.stringValue else { throw PayloadError(field: "\(field)[\(i)].name", expected: "string") }
            guard !name.isEmpty, name.unicodeScalars.count <= RunValidation.maxLabelLength,
                  out.count < RunValidation.maxLabels else { continue }
            out.append(RunLabel(name: name, scope: scope))
        }
        return out
    }

    /// True when the path holds a non-null value.
    public func has(_ path: String...) -> Bool {
        guard let v = json[path: path] else { return false }
        return !v.isNull
    }
}
