import Foundation
import KubeAPI

/// `ValidateCustomResourceDefinition` for apiextensions.k8s.io/v1 objects, in the real order and
/// with the real field paths. Like the real apiserver (which converts v1 to its internal version
/// first), versions whose schemas are all identical are reported under `spec.validation`, shared
/// printer columns under `spec.additionalPrinterColumns` and shared subresources under
/// `spec.subresources`; otherwise under `spec.versions[i]`.
enum CRDValidation {
    /// Defaults a v1 CRD gets before validation (`SetDefaults_CustomResourceDefinition*`).
    static func applyDefaults(_ crd: inout JSONValue) {
        if crd[path: ["spec", "conversion"]] == nil { crd.set(path: ["spec", "conversion"], to: ["strategy": "None"]) }
        var names = crd[path: ["spec", "names"]] ?? [:]
        if let kind = names["kind"]?.stringValue, !kind.isEmpty {
            if names["singular"] == nil { names["singular"] = .string(kind.lowercased()) }
            if names["listKind"] == nil { names["listKind"] = .string(kind + "List") }
            crd.set(path: ["spec", "names"], to: names)
        }
    }

    static func validate(_ crd: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = crd["spec"] ?? [:]
        let group = spec["group"]?.stringValue ?? ""
        let plural = spec[path: ["names", "plural"]]?.stringValue ?? ""
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        if name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if group.isEmpty {
            errors.append(.required("spec.group"))
        } else if !group.contains(".") {
            errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        let scope = spec["scope"]?.stringValue ?? ""
        if scope.isEmpty {
            errors.append(.required("spec.scope"))
        } else if scope != "Namespaced" && scope != "Cluster" {
            errors.append(CRDSchemaChecks.notSupported("spec.scope", scope, ["Cluster", "Namespaced"]))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        let schemas = versions.map { $0["schema"] ?? .null }
        let sharedSchema = !versions.isEmpty && Set(schemas).count == 1
        let sharedColumns = !versions.isEmpty && Set(versions.map { $0["additionalPrinterColumns"] ?? .null }).count == 1
        let sharedSubresources = !versions.isEmpty && Set(versions.map { $0["subresources"] ?? .null }).count == 1
        if !sharedSchema || schemas[0] == .null {
            for (i, v) in versions.enumerated() where v[path: ["schema", "openAPIV3Schema"]] == nil {
                errors.append(.required("spec.versions[\(i)].schema.openAPIV3Schema"))
            }
        }
        var names: Set<String> = []
        var unique = true
        for (i, v) in versions.enumerated() {
            let vname = v["name"]?.stringValue ?? ""
            if !names.insert(vname).inserted { unique = false }
            if let problem = dns1035Label(vname) { errors.append(.invalid("spec.versions[\(i)].name", .string(vname), problem)) }
            if v["deprecated"]?.boolValue != true, v["deprecationWarning"] != nil {
                errors.append(.invalid("spec.versions[\(i)].deprecationWarning", v["deprecationWarning"]!, "can only be set for deprecated versions"))
            }
            if !sharedSchema, let schema = v[path: ["schema", "openAPIV3Schema"]] {
                errors += validateSchema(schema, path: "spec.versions[\(i)].schema.openAPIV3Schema")
            }
            if !sharedColumns { errors += columns(v["additionalPrinterColumns"], path: "spec.versions[\(i)].additionalPrinterColumns") }
        }
        let storage = versions.filter { $0["storage"]?.boolValue == true }.count
        if !unique { errors.append(CRDSchemaChecks.invalid("spec.versions", internalVersions(versions, sharedSchema, sharedColumns, sharedSubresources), "must contain unique version names")) }
        if storage != 1 {
            errors.append(CRDSchemaChecks.invalid("spec.versions", internalVersions(versions, sharedSchema, sharedColumns, sharedSubresources),
                                                  "must have exactly one version marked as storage version"))
        }
        if let first = versions.first?["name"]?.stringValue, let problem = dns1035Label(first) {
            errors.append(.invalid("spec.version", .string(first), problem))
        }
        for key in ["plural", "singular", "kind", "listKind"] where (spec[path: ["names", key]]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.names.\(key)"))
        }
        if let kind = spec[path: ["names", "kind"]]?.stringValue, !kind.isEmpty, kind == spec[path: ["names", "listKind"]]?.stringValue {
            errors.append(.invalid("spec.names.listKind", .string(kind), "kind and listKind may not be the same"))
        }
        if sharedSchema, let schema = schemas[0]["openAPIV3Schema"] {
            errors += validateSchema(schema, path: "spec.validation.openAPIV3Schema")
        }
        if sharedColumns { errors += columns(versions.first?["additionalPrinterColumns"], path: "spec.additionalPrinterColumns") }
        errors += conversion(spec["conversion"])
        return errors
    }

    /// `validateCustomResourceDefinitionValidation` for one schema.
    static func validateSchema(_ schema: JSONValue, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if schema["nullable"]?.boolValue == true { errors.append(CRDSchemaChecks.forbidden(path + ".nullable", "nullable cannot be true at the root")) }
        let structural = CRDSchemaChecks.structural(schema, path: path)
        var celEnabled = false
        if !structural.isEmpty {
            errors += structural
        } else {
            let defaults = CRDDefaults.validate(schema, path: path)
            errors += defaults
            celEnabled = defaults.isEmpty
        }
        var keywordErrors: [FieldError] = []
        CRDSchemaChecks.keywords(schema, path: path, errors: &keywordErrors)
        errors += keywordErrors
        if celEnabled && keywordErrors.isEmpty {
            errors += CELSchemaRules.validate(schema: schema, path: path)
        }
        return errors
    }

    static let columnTypes = ["boolean", "date", "integer", "number", "string"]
    static let columnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]

    /// `ValidateCustomResourceColumnDefinition` for each printer column.
    static func columns(_ list: JSONValue?, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, c) in (list?.arrayValue ?? []).enumerated() {
            let p = "\(path)[\(i)]"
            if (c["name"]?.stringValue ?? "").isEmpty { errors.append(.required(p + ".name")) }
            let type = c["type"]?.stringValue ?? ""
            if type.isEmpty {
                errors.append(CRDSchemaChecks.required(p + ".type", "must be one of \(columnTypes.joined(separator: ","))"))
            } else if !columnTypes.contains(type) {
                errors.append(.invalid(p + ".type", .string(type), "must be one of \(columnTypes.joined(separator: ","))"))
            }
            if let format = c["format"]?.stringValue, !format.isEmpty, !columnFormats.contains(format) {
                errors.append(.invalid(p + ".format", .string(format), "must be one of \(columnFormats.joined(separator: ","))"))
            }
            let jsonPath = c["jsonPath"]?.stringValue ?? ""
            if jsonPath.isEmpty {
                errors.append(.required(p + ".JSONPath"))
            } else if !jsonPath.hasPrefix(".") {
                errors.append(.invalid(p + ".JSONPath", .string(jsonPath), "must be a simple json path starting with ."))
            }
        }
        return errors
    }

    private static func conversion(_ c: JSONValue?) -> [FieldError] {
        guard let c else { return [] }
        let strategy = c["strategy"]?.stringValue ?? ""
        switch strategy {
        case "None":
            if c["webhook"]?["clientConfig"] != nil {
                return [CRDSchemaChecks.forbidden("spec.conversion.webhookClientConfig", "should not be set when strategy is not set to Webhook")]
            }
            return []
        case "Webhook":
            guard let config = c["webhook"]?["clientConfig"] else {
                return [CRDSchemaChecks.required("spec.conversion.webhookClientConfig", "required when strategy is set to Webhook")]
            }
            if (config["url"] == nil) == (config["service"] == nil) {
                return [CRDSchemaChecks.required("spec.conversion.webhookClientConfig", "exactly one of url or service is required")]
            }
            return []
        case "": return [.required("spec.conversion.strategy")]
        default: return [CRDSchemaChecks.notSupported("spec.conversion.strategy", strategy, ["None", "Webhook"])]
        }
    }

    /// `IsDNS1035Label`'s message, or nil when valid.
    static func dns1035Label(_ s: String) -> String? {
        let ok = s.count <= 63 && s.range(of: "^[a-z]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil
        if ok { return nil }
        if s.count > 63 { return "must be no more than 63 characters" }
        return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    }

    /// The internal `[]CustomResourceDefinitionVersion` as `json.Marshal` prints it in
    /// `spec.versions` errors (per-version parts moved to the top level print as null).
    private static func internalVersions(_ versions: [JSONValue], _ sharedSchema: Bool, _ sharedColumns: Bool, _ sharedSub: Bool) -> String {
        let items = versions.map { v -> String in
            let warning = v["deprecationWarning"]?.stringValue.map(GoJSON.quote) ?? "null"
            let schema = sharedSchema || v["schema"] == nil ? "null" : "{...}"
            let sub = sharedSub || v["subresources"] == nil ? "null" : "{...}"
            let cols = sharedColumns || v["additionalPrinterColumns"] == nil ? "null" : "[...]"
            return "{\"Name\":\(GoJSON.quote(v["name"]?.stringValue ?? "")),\"Served\":\(v["served"]?.boolValue == true),"
                + "\"Storage\":\(v["storage"]?.boolValue == true),\"Deprecated\":\(v["deprecated"]?.boolValue == true),"
                + "\"DeprecationWarning\":\(warning),\"Schema\":\(schema),\"Subresources\":\(sub),\"AdditionalPrinterColumns\":\(cols),"
                + "\"SelectableFields\":null}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}
