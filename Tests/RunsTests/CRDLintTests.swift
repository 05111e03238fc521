import KubeAPI
import Runs
import Testing
import YAML

/// Rules a real kube-apiserver (1.30+) enforces on CRD definitions that KubeTestServer does not
/// check (FINDINGS A9), applied to CRDs/ statically: structural schema, CEL cost bounds, rule
/// reasons and field paths, transition-rule placement.
@Suite struct CRDLintTests {
    static let allowedReasons: Set<String> = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"]

    static func schemas() throws -> [(String, JSONValue)] {
        try YAMLNode.parseDocuments(Array(EmbeddedManifests.crds.utf8)).map { try $0.jsonValue() }.map {
            ($0[path: ["metadata", "name"]]!.stringValue!, $0[path: ["spec", "versions"]]!.arrayValue![0][path: ["schema", "openAPIV3Schema"]]!)
        }
    }

    /// Problems of one schema node and its children.
    static func lint(_ s: JSONValue, path: String, underList: Bool, into problems: inout [String]) {
        let intOrString = s["x-kubernetes-int-or-string"] == true
        let type = s["type"]?.stringValue
        if type == nil && !intOrString { problems.append("\(path): no type (not structural)") }
        for rule in s["x-kubernetes-validations"]?.arrayValue ?? [] {
            let text = rule["rule"]?.stringValue ?? ""
            if let reason = rule["reason"]?.stringValue, !allowedReasons.contains(reason) {
                problems.append("\(path): reason \(reason) is not one the apiserver accepts")
            }
            if let fieldPath = rule["fieldPath"]?.stringValue {
                var node = s
                for part in fieldPath.split(separator: ".") {
                    guard let next = node["properties"]?[String(part)] else {
                        problems.append("\(path): fieldPath \(fieldPath) names no declared property")
                        break
                    }
                    node = next
                }
            }
            if text.contains("oldSelf") && underList { problems.append("\(path): transition rule inside a list item") }
        }
        switch type {
        case "string":
            let bounded = s["maxLength"] != nil || s["enum"] != nil || s["format"] != nil
            // Stricter than the apiserver (which bounds only what rules read): every string of ours is bounded.
            if !bounded && ![".apiVersion", ".kind", ".metadata.name"].contains(path) { problems.append("\(path): string without maxLength (unbounded CEL cost)") }
        case "array":
            if s["maxItems"] == nil { problems.append("\(path): list without maxItems") }
            let mapList = s["x-kubernetes-list-type"] == "map"
            if let items = s["items"] { lint(items, path: "\(path)[]", underList: underList || !mapList, into: &problems) }
        case "object":
            if let extra = s["additionalProperties"] {
                if s["maxProperties"] == nil { problems.append("\(path): map without maxProperties") }
                if s["properties"] != nil { problems.append("\(path): properties and additionalProperties together") }
                lint(extra, path: "\(path).*", underList: underList, into: &problems)
            }
            for (k, v) in (s["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                lint(v, path: "\(path).\(k)", underList: underList, into: &problems)
            }
        default: break
        }
    }

    @Test func crdsFollowTheApiextensionsRules() throws {
        for (name, schema) in try Self.schemas() {
            var problems: [String] = []
            Self.lint(schema, path: "", underList: false, into: &problems)
            #expect(problems == [], "\(name)")
        }
    }

    @Test func lintCatchesWhatARealApiserverRejects() {
        let bad: JSONValue = ["type": "object", "properties": [
            "a": ["type": "string"], "b": ["type": "array", "items": ["type": "string", "maxLength": 3]], "c": ["properties": [:]],
            "d": ["type": "object", "maxProperties": 2, "properties": ["x": ["type": "string", "maxLength": 1]],
                  "x-kubernetes-validations": [["rule": "true", "reason": "FieldValueTooLong", "fieldPath": ".y"]]],
            "e": ["type": "array", "maxItems": 2, "items": ["type": "object", "properties": ["v": ["type": "integer"]],
                                                          "x-kubernetes-validations": [["rule": "self == oldSelf"]]]],
        ]]
        var problems: [String] = []
        Self.lint(bad, path: "", underList: false, into: &problems)
        #expect(problems == [".a: string without maxLength (unbounded CEL cost)", ".b: list without maxItems", ".c: no type (not structural)",
                             ".d: reason FieldValueTooLong is not one the apiserver accepts", ".d: fieldPath .y names no declared property",
                             ".e[]: transition rule inside a list item"])
    }
}
