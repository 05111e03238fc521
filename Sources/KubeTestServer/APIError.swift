import KubeAPI

/// An API failure, rendered as a `metav1.Status` body exactly as kube-apiserver words it.
///
/// Messages follow the apiserver's `k8s.io/apimachinery/pkg/api/errors` constructors, so clients
/// that match on `reason`, `code` or message text behave as they would against a real cluster.
public struct APIError: Error, Sendable, Hashable {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: JSONValue?
    /// Seconds for a `Retry-After` header (429 and some 5xx).
    public var retryAfterSeconds: Int?
    /// `metadata.continue` of the Status (a 410 for a compacted continue token offers one to go on with).
    public var listContinue: String?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The `Status` object.
    public var status: JSONValue {
        var s: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                            "message": .string(message), "code": .int(Int64(code))]
        if !reason.isEmpty { s["reason"] = .string(reason) }  // StatusReasonUnknown is "" (omitted)
        if let c = listContinue { s["metadata"] = ["continue": .string(c)] }
        var d = details ?? .null
        if let r = retryAfterSeconds {
            if d == .null { d = [:] }
            d["retryAfterSeconds"] = .int(Int64(r))
        }
        if d != .null { s["details"] = d }
        return s
    }

    static func details(_ type: ResourceType, name: String) -> JSONValue {
        var d: JSONValue = ["name": .string(name), "kind": .string(type.plural)]
        if !type.group.isEmpty { d["group"] = .string(type.group) }
        return d
    }

    static func notFound(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.qualifiedResource) \"\(name)\" not found",
                 details: details(type, name: name))
    }

    static func namespaceNotFound(_ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(name)\" not found",
                 details: ["name": .string(name), "kind": "namespaces"])
    }

    static func alreadyExists(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedResource) \"\(name)\" already exists",
                 details: details(type, name: name))
    }

    static func conflict(_ type: ResourceType, name: String, why: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.qualifiedResource) \"\(name)\": \(why)",
                 details: details(type, name: name))
    }

    static func staleResourceVersion(_ type: ResourceType, name: String) -> APIError {
        conflict(type, name: name,
                 why: "the object has been modified; please apply your changes to the latest version and try again")
    }

    static func forbidden(_ type: ResourceType, name: String, why: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: "\(type.qualifiedResource) \"\(name)\" is forbidden: \(why)",
                 details: details(type, name: name))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    static func notFoundPath() -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got \(type))")
    }

    static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    /// 422 Invalid with one cause per field error (`Kind.group "name" is invalid: field: message, ...`).
    static func invalid(_ type: ResourceType, name: String, causes: [FieldError]) -> APIError {
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        let list = causes.count == 1 ? summary : "[\(summary)]"
        var d = details(type, name: name)
        d["kind"] = .string(type.kind)
        d["causes"] = .array(causes.map {
            ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)]
        })
        return APIError(code: 422, reason: "Invalid", message: "\(type.qualifiedKind) \"\(name)\" is invalid: \(list)",
                        details: d)
    }
}

/// One field-level validation failure (a `StatusCause` of a 422).
public struct FieldError: Sendable, Hashable {
    /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueTypeInvalid`,
    /// `FieldValueForbidden`, `FieldValueTooLong`, `FieldValueDuplicate`.
    public var reason: String
    public var field: String
    public var message: String

    public init(reason: String, field: String, message: String) {
        self.reason = reason
        self.field = field
        self.message = message
    }

    static func required(_ field: String) -> FieldError {
        FieldError(reason: "FieldValueRequired", field: field, message: "Required value")
    }

    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueInvalid", field: field,
                   message: "Invalid value: \(value.jsonString()): \(detail)")
    }
}
