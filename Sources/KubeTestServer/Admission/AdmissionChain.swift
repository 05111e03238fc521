import KubeAPI

/// The operation an admission plugin sees.
enum AdmissionOperation: String, Sendable {
    case create = "CREATE", update = "UPDATE", delete = "DELETE"
}

/// What admission plugins know about a write (the apiserver's `admission.Attributes`).
struct AdmissionRequest: Sendable {
    var operation: AdmissionOperation
    var type: ResourceType
    var namespace: String?
    /// The name admission errors report: the object's name, or its `generateName` prefix while
    /// the name is not generated yet (mutating admission on create), like the real apiserver.
    var name: String
    var subresource: String?
    var old: JSONValue?
    var dryRun: Bool

    /// `<resource> "<name>" is forbidden: <why>` (admission.NewForbidden).
    func forbidden(_ why: String) -> APIError { .forbidden(type, name: name, why: why) }
}

/// The admission chain in kube-apiserver's order. A write runs
/// defaulting → mutating admission → validation → validating admission → storage:
/// - mutating: LimitRanger (defaults), ServiceAccount, DefaultTolerationSeconds;
/// - validating: LimitRanger (min/max/ratio), ResourceQuota.
/// NamespaceLifecycle runs where the store checks namespaces (create into a terminating
/// namespace, delete of an immortal namespace). Subresource writes (`/status`) skip the chain,
/// as they skip these plugins on a real apiserver.
extension StoreState {
    /// Defaulting and mutating admission of a create (`old == nil`) or update; returns the request
    /// for the validating phase. `name` overrides the reported name (the `generateName` prefix).
    mutating func defaultAndAdmit(_ type: ResourceType, _ object: inout JSONValue, old: JSONValue?, subresource: String?,
                                  options: WriteOptions, name: String?) throws(APIError) -> AdmissionRequest {
        if subresource == nil {
            try DecodeChecks.check(type, object)
            BuiltinDefaults.apply(type, &object, isCreate: old == nil)
        }
        var request = AdmissionRequest(operation: old == nil ? .create : .update, type: type,
                                       namespace: type.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue : nil,
                                       name: name ?? object[path: ["metadata", "name"]]?.stringValue ?? "",
                                       subresource: subresource, old: old, dryRun: options.dryRun)
        try mutatingAdmission(request, &object)
        if type.storageKey == "pods", old == nil {
            object.set(path: ["status", "qosClass"], to: .string(PodDefaults.qosClass(object["spec"] ?? [:])))
        }
        request.name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        return request
    }

    mutating func mutatingAdmission(_ request: AdmissionRequest, _ object: inout JSONValue) throws(APIError) {
        guard request.subresource == nil, request.type.storageKey == "pods", request.operation == .create else { return }
        limitRangerDefaults(request, &object)
        try serviceAccountAdmit(request, &object)
        DefaultTolerationSeconds.admit(&object)
    }

    func validatingAdmission(_ request: AdmissionRequest, _ object: JSONValue) throws(APIError) {
        guard request.subresource == nil else { return }
        if request.type.storageKey == "pods", request.operation == .create {
            try limitRangerValidate(request, object)
        }
        try resourceQuotaAdmit(request, object)
    }

    /// Objects of `storageKey` in namespace `ns`.
    func namespacedObjects(_ storageKey: String, in ns: String) -> [JSONValue] {
        (objects[storageKey] ?? [:]).values.filter { $0[path: ["metadata", "namespace"]]?.stringValue == ns }
    }
}
