import Foundation
import KubeAPI

/// Per-kind create defaults and validation (the apiserver's "strategies"), for the kinds we serve.
extension StoreState {
    mutating func prepareForCreate(_ type: ResourceType, _ obj: inout JSONValue) throws(APIError) {
        switch type.storageKey {
        case "namespaces":
            obj.set(path: ["spec", "finalizers"], to: ["kubernetes"])
            obj["status"] = ["phase": "Active"]
            Self.setMetadataNameLabel(&obj)
        case "pods":
            obj["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
            defaults(&obj, ["spec", "restartPolicy"], "Always")
            defaults(&obj, ["spec", "dnsPolicy"], "ClusterFirst")
            defaults(&obj, ["spec", "schedulerName"], "default-scheduler")
            defaults(&obj, ["spec", "terminationGracePeriodSeconds"], 30)
        case "jobs.batch":
            obj["status"] = [:]
            defaults(&obj, ["spec", "backoffLimit"], 6)
            defaults(&obj, ["spec", "completions"], 1)
            defaults(&obj, ["spec", "parallelism"], 1)
            defaults(&obj, ["spec", "completionMode"], "NonIndexed")
            defaults(&obj, ["spec", "suspend"], false)
            defaults(&obj, ["spec", "podReplacementPolicy"], "TerminatingOrFailed")
            let uid = obj[path: ["metadata", "uid"]] ?? ""
            let name = obj[path: ["metadata", "name"]] ?? ""
            if obj[path: ["spec", "selector"]] == nil {
                obj.set(path: ["spec", "selector"], to: ["matchLabels": ["batch.kubernetes.io/controller-uid": uid]])
            }
            var labels = obj[path: ["spec", "template", "metadata", "labels"]] ?? [:]
            for (k, v) in [("batch.kubernetes.io/controller-uid", uid), ("controller-uid", uid),
                           ("batch.kubernetes.io/job-name", name), ("job-name", name)] where labels[k] == nil {
                labels[k] = v
            }
            obj.set(path: ["spec", "template", "metadata", "labels"], to: labels)
        case "secrets":
            defaults(&obj, ["type"], "Opaque")
            if let stringData = obj["stringData"]?.objectValue {
                var data = obj["data"]?.objectValue ?? [:]
                for (k, v) in stringData { data[k] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString()) }
                obj["data"] = .object(data)
                obj["stringData"] = nil
            }
        case "customresourcedefinitions.apiextensions.k8s.io":
            CRDValidation.applyDefaults(&obj)
            let errors = CRDTypes.validate(obj)
            if !errors.isEmpty {
                throw .invalid(type, name: obj[path: ["metadata", "name"]]?.stringValue ?? "", causes: errors)
            }
            CRDTypes.accept(&obj, now: now())
            var finalizers = obj[path: ["metadata", "finalizers"]]?.arrayValue ?? []
            if !finalizers.contains(.string(CRDTypes.cleanupFinalizer)) { finalizers.append(.string(CRDTypes.cleanupFinalizer)) }
            obj.set(path: ["metadata", "finalizers"], to: .array(finalizers))
        default:
            prepareWorkloadForCreate(type, &obj)
        }
    }

    private func defaults(_ obj: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if obj[path: path] == nil, value != .null { obj.set(path: path, to: value) }
    }

    /// Validates (and, for custom resources, defaults and prunes) an object about to be stored.
    mutating func validate(_ type: ResourceType, _ obj: inout JSONValue, old: JSONValue?,
                           options: WriteOptions) throws(APIError) {
        let name = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        var errors: [FieldError] = []
        if let schema = type.compiledSchema {
            errors = SchemaValidation.apply(schema: schema, to: &obj, old: old, strictFields: options.strictFields)
        }
        switch type.storageKey {
        case "pods":
            if (obj[path: ["spec", "containers"]]?.arrayValue ?? []).isEmpty { errors.append(.required("spec.containers")) }
        case "jobs.batch":
            let policy = obj[path: ["spec", "template", "spec", "restartPolicy"]]?.stringValue
            if policy != "Never" && policy != "OnFailure" {
                errors.append(FieldError(reason: "FieldValueNotSupported", field: "spec.template.spec.restartPolicy",
                                         message: "Unsupported value: \"\(policy ?? "")\": supported values: \"OnFailure\", \"Never\""))
            }
            if (obj[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []).isEmpty {
                errors.append(.required("spec.template.spec.containers"))
            }
            if let old, old[path: ["spec", "template"]] != obj[path: ["spec", "template"]] {
                errors.append(.invalid("spec.template", obj[path: ["spec", "template"]] ?? .null, "field is immutable"))
            }
        case "customresourcedefinitions.apiextensions.k8s.io":
            if let old {
                CRDValidation.applyDefaults(&obj)
                errors += CRDTypes.validate(obj)
                for path in [["spec", "group"], ["spec", "names", "plural"], ["spec", "scope"]]
                where old[path: path] != obj[path: path] {
                    errors.append(.invalid(path.joined(separator: "."), obj[path: path] ?? .null, "field is immutable"))
                }
                if errors.isEmpty, old["spec"] != obj["spec"] {
                    let finalizers = obj[path: ["metadata", "finalizers"]]
                    CRDTypes.accept(&obj, now: now())
                    obj.set(path: ["metadata", "finalizers"], to: finalizers)
                }
            }
        default:
            errors += validateWorkload(type, &obj, old: old)
        }
        errors += BuiltinValidation.errors(type, obj, old: old)
        if !errors.isEmpty { throw .invalid(type, name: name, causes: errors) }
    }
}
