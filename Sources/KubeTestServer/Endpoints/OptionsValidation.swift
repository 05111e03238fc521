import KubeAPI

/// Validation of request options (`k8s.io/apimachinery/pkg/apis/meta/v1/validation` and
/// `…/internalversion/validation`), answered like the handlers do:
/// `422 Invalid` on `{Create,Update,Patch,Delete,List}Options.meta.k8s.io ""`, before the object is looked at.
enum OptionsValidation {
    static func invalid(_ kind: String, _ causes: [FieldError]) -> APIError {
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        let list = causes.count == 1 ? summary : "[\(summary)]"
        let details: JSONValue = ["group": "meta.k8s.io", "kind": .string(kind), "causes": .array(causes.map {
            ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)]
        })]
        return APIError(code: 422, reason: "Invalid", message: "\(kind).meta.k8s.io \"\" is invalid: \(list)", details: details)
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
    }

    static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldError {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(reason: "FieldValueNotSupported", field: field,
                          message: "Unsupported value: \"\(value)\": supported values: \(list)")
    }

    /// `dryRun` (query or body): only `All`; the whole list is the reported value (JSON, as 1.35 prints values).
    static func dryRunErrors(_ values: [String]) -> [FieldError] {
        guard values.contains(where: { $0 != "All" }) else { return [] }
        let shown = JSONValue.array(values.map(JSONValue.string)).jsonString()
        return [FieldError(reason: "FieldValueNotSupported", field: "dryRun",
                           message: "Unsupported value: \(shown): supported values: \"All\"")]
    }

    /// DeleteOptions: `propagationPolicy` and `dryRun`.
    static func checkDelete(_ o: DeleteOptions, dryRun: [String]) throws(APIError) {
        var errors = dryRunErrors(dryRun)
        if let p = o.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(p) {
            errors.append(notSupported("propagationPolicy", p, ["Foreground", "Background", "Orphan", "nil"]))
        }
        if !errors.isEmpty { throw invalid("DeleteOptions", errors) }
    }

    /// Create/Update/PatchOptions: `dryRun`, and `fieldManager` for apply patches.
    static func checkWrite(verb: String, dryRun: [String], fieldManager: String?, apply: Bool) throws(APIError) {
        var errors = dryRunErrors(dryRun)
        if apply, (fieldManager ?? "").isEmpty {
            errors.append(FieldError(reason: "FieldValueRequired", field: "fieldManager",
                                     message: "Required value: is required for apply patch"))
        }
        guard !errors.isEmpty else { return }
        let kind = verb == "create" ? "CreateOptions" : verb == "patch" ? "PatchOptions" : "UpdateOptions"
        throw invalid(kind, errors)
    }

    /// ListOptions of a list or a watch (`ValidateListOptions`; the WatchList feature is on in 1.35).
    static func checkList(watch: Bool, _ q: [String: String]) throws(APIError) {
        var errors: [FieldError] = []
        let match = q["resourceVersionMatch"] ?? ""
        let rv = q["resourceVersion"] ?? ""
        let hasContinue = !(q["continue"] ?? "").isEmpty
        let sendInitialEvents = q["sendInitialEvents"]
        if watch {
            if sendInitialEvents != nil, match != "NotOlderThan" {
                errors.append(forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
            }
            if !match.isEmpty {
                if sendInitialEvents == nil {
                    errors.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
                }
                if match != "NotOlderThan" { errors.append(notSupported("resourceVersionMatch", match, ["NotOlderThan"])) }
                if hasContinue { errors.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided")) }
            }
        } else {
            if !match.isEmpty {
                if rv.isEmpty {
                    errors.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
                }
                if hasContinue { errors.append(forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided")) }
                if match != "Exact" && match != "NotOlderThan" {
                    errors.append(notSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]))
                }
                if match == "Exact" && rv == "0" {
                    errors.append(forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""))
                }
            }
            if sendInitialEvents != nil { errors.append(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list")) }
        }
        if !errors.isEmpty { throw invalid("ListOptions", errors) }
    }
}

extension APIHandler {
    /// A POST whose object carries a (non-zero, numeric) `metadata.resourceVersion`: the storage
    /// layer's `ErrResourceVersionSetOnCreate`, which reaches the client as a bare 500 (no reason).
    /// A dry run never reaches that check.
    static func checkNoResourceVersion(_ body: JSONValue, dryRun: Bool) throws(APIError) {
        guard !dryRun, let rv = body[path: ["metadata", "resourceVersion"]]?.stringValue,
              let n = UInt64(rv), n != 0 else { return }
        throw APIError(code: 500, reason: "", message: "resourceVersion should not be set on objects to be created")
    }
}

extension APIHandler {
    /// An apply patch must name the version of the endpoint it is sent to (the field manager's
    /// check); a missing `apiVersion` is an empty version: 400.
    static func checkApplyVersion(_ body: JSONValue, _ type: ResourceType) throws(APIError) {
        let sent = body["apiVersion"]?.stringValue ?? ""
        guard sent != type.apiVersion else { return }
        throw .badRequest("Incorrect version specified in apply patch. Specified patch version: \(sent), expected: \(type.apiVersion)")
    }
}
