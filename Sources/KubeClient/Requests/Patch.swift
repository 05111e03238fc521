import FoundationEssentials
import KubeAPI

/// A PATCH body with its content type.
public enum Patch: Sendable, Hashable {
    /// `application/merge-patch+json` (RFC 7386).
    case merge(JSONValue)
    /// `application/json-patch+json` (RFC 6902); a failing `test` op fails the whole patch (422).
    case json([JSONPatchOperation])
    /// `application/strategic-merge-patch+json` (built-in kinds only; not for custom resources).
    case strategicMerge(JSONValue)
    /// `application/apply-patch+yaml`: server-side apply of a full intent (JSON is valid YAML).
    /// `force` takes ownership of conflicting fields from other managers.
    case apply(JSONValue, fieldManager: String, force: Bool = false)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }

    var body: JSONValue {
        switch self {
        case .merge(let v), .strategicMerge(let v), .apply(let v, _, _): v
        case .json(let ops): .array(ops.map(\.json))
        }
    }

    /// Whether sending the same patch twice has the same effect as once (see `RetryPolicy`).
    /// JSON patches are idempotent when guarded by a `test` op.
    var isIdempotent: Bool {
        if case .json(let ops) = self { return ops.contains { if case .test = $0 { true } else { false } } }
        return true
    }
}

/// One RFC 6902 operation; paths are JSON pointers (`/metadata/labels/app`).
public enum JSONPatchOperation: Sendable, Hashable {
    case add(path: String, value: JSONValue)
    case remove(path: String)
    case replace(path: String, value: JSONValue)
    case move(from: String, path: String)
    case copy(from: String, path: String)
    case test(path: String, value: JSONValue)

    public var json: JSONValue {
        switch self {
        case .add(let p, let v): ["op": "add", "path": .string(p), "value": v]
        case .remove(let p): ["op": "remove", "path": .string(p)]
        case .replace(let p, let v): ["op": "replace", "path": .string(p), "value": v]
        case .move(let f, let p): ["op": "move", "from": .string(f), "path": .string(p)]
        case .copy(let f, let p): ["op": "copy", "from": .string(f), "path": .string(p)]
        case .test(let p, let v): ["op": "test", "path": .string(p), "value": v]
        }
    }

    /// Escapes one path segment for a JSON pointer (`~` → `~0`, `/` → `~1`).
    public static func escape(_ segment: String) -> String {
        segment.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
