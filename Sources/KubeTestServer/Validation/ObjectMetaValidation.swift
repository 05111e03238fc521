import KubeAPI

/// ObjectMeta validation of the built-in kinds (apimachinery `ValidateObjectMeta*` plus core's
/// finalizer rule), on create and update: label keys/values, annotation keys and their 256 KiB
/// total, ownerReferences (apiVersion/kind/name/uid required, one controller), finalizer names
/// (qualified names; without a `/` only `kubernetes`, `orphan`, `foregroundDeletion`), and the
/// orphan/foregroundDeletion pair. Keys are checked in sorted order.
enum ObjectMetaValidation {
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]
    static let annotationLimit = 256 * 1024

    static func errors(_ meta: JSONValue?, builtin: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let labels = meta?["labels"]?.objectValue ?? [:]
        for key in labels.keys.sorted() {
            errors += NameRules.qualifiedName(key).map { .invalid("metadata.labels", key, $0) }
            let value = labels[key]?.stringValue ?? ""
            errors += NameRules.labelValue(value).map { .invalid("metadata.labels", value, $0) }
        }
        let annotations = meta?["annotations"]?.objectValue ?? [:]
        var size = 0
        for key in annotations.keys.sorted() {
            errors += NameRules.qualifiedName(key.lowercased()).map { .invalid("metadata.annotations", key, $0) }
            size += key.utf8.count + (annotations[key]?.stringValue?.utf8.count ?? 0)
        }
        if size > annotationLimit { errors.append(.tooLong("metadata.annotations", annotationLimit)) }
        errors += ownerReferences(meta?["ownerReferences"]?.arrayValue ?? [])
        let finalizers = (meta?["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
        for f in finalizers {
            errors += NameRules.qualifiedName(f).map { .invalid("metadata.finalizers", f, $0) }
        }
        if finalizers.contains("orphan") && finalizers.contains("foregroundDeletion") {
            errors.append(.invalid("metadata.finalizers", .array(finalizers.map(JSONValue.string)),
                                   "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        if builtin {
            for (i, f) in finalizers.enumerated() where !f.contains("/") && !standardFinalizers.contains(f) {
                errors.append(.invalid("metadata.finalizers[\(i)]", f, "name is neither a standard finalizer name nor is it fully qualified"))
            }
        }
        return errors
    }

    static func ownerReferences(_ refs: [JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        var firstController = ""
        for (i, ref) in refs.enumerated() {
            let path = "metadata.ownerReferences[\(i)]"
            let apiVersion = ref["apiVersion"]?.stringValue ?? ""
            if apiVersion.isEmpty {
                errors.append(.required("\(path).apiVersion", "must not be empty"))
            } else if apiVersion.split(separator: "/", omittingEmptySubsequences: false).count > 2 || apiVersion.hasSuffix("/") {
                errors.append(.invalid("\(path).apiVersion", apiVersion, "must be <group>/<version> or <version>"))
            }
            for field in ["kind", "name", "uid"] where (ref[field]?.stringValue ?? "").isEmpty {
                errors.append(.required("\(path).\(field)", "must not be empty"))
            }
            if apiVersion == "v1", ref["kind"]?.stringValue == "Event" {
                errors.append(.invalid(path, ref, "/v1, Kind=Event is disallowed from being an owner"))
            }
            if ref["controller"]?.boolValue == true {
                let current = "\(ref["kind"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")"
                if firstController.isEmpty {
                    firstController = current
                } else {
                    errors.append(.invalid("metadata.ownerReferences", .array(refs),
                                           "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"))
                }
            }
        }
        return errors
    }
}
