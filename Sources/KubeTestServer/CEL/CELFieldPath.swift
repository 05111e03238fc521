import Foundation
import KubeAPI

/// A rule's `fieldPath` (`ValidFieldPath`): `.name` steps into properties, `['key']` into
/// `additionalProperties` (or a property with dots); the result is the normalized field path.
enum CELFieldPath {
    static func resolve(_ path: String, in schema: JSONValue) -> String? {
        var s = schema
        var out = ""
        var rest = Substring(path)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty, let sub = s["properties"]?[String(name)] else { return nil }
                out += out.isEmpty ? String(name) : ".\(name)"
                s = sub
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("['") {
                rest = rest.dropFirst(2)
                guard let end = rest.range(of: "']") else { return nil }
                let key = String(rest[..<end.lowerBound])
                if let sub = s["additionalProperties"], sub.objectValue != nil {
                    s = sub
                } else if let sub = s["properties"]?[key] {
                    s = sub
                } else {
                    return nil
                }
                out += "[\(key)]"
                rest = rest[end.upperBound...]
            } else {
                return nil
            }
        }
        return out
    }
}
