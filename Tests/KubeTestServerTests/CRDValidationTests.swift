@testable import KubeTestServer
import KubeAPI
import Testing

/// CRD definitions validated as apiextensions-apiserver does (structural schema, defaults,
/// printer columns, versions, CEL), and custom resources checked for list-map keys,
/// int-or-string and CEL with the real messages — over HTTP.
struct CRDValidationTests {
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

    static func crd(_ schema: JSONValue, columns: JSONValue? = nil, versions: JSONValue? = nil) -> JSONValue {
        var version: JSONValue = ["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": schema]]
        if let columns { version["additionalPrinterColumns"] = columns }
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "things.example.com"],
                "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": "things", "kind": "Thing"],
                         "versions": versions ?? [version]]]
    }

    static func spec(_ props: JSONValue, extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["type": "object", "properties": props]
        for (k, v) in extra { spec[k] = v }
        return ["type": "object", "properties": ["spec": spec]]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var crd: JSONValue
        var causes: [String]
        var testDescription: String { name }
    }

    static let root = "spec.validation.openAPIV3Schema"
    static let cases: [Case] = [
        Case(name: "property without type", crd: crd(spec(["a": ["description": "x"]])),
             causes: ["\(root).properties[spec].properties[a].type: Required value: must not be empty for specified object fields"]),
        Case(name: "array without items", crd: crd(spec(["a": ["type": "array"]])),
             causes: ["\(root).properties[spec].properties[a].items: Required value: must be specified"]),
        Case(name: "properties and additionalProperties", crd: crd(spec(["a": ["type": "object", "properties": ["b": ["type": "string"]],
                                                                              "additionalProperties": ["type": "string"]]])),
             causes: ["\(root).properties[spec].properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"]),
        Case(name: "metadata restricted", crd: crd(["type": "object", "properties": ["metadata": ["type": "object", "properties": ["labels": ["type": "object"]]]]]),
             causes: ["\(root).properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"]),
        Case(name: "list-map keys need a list-type map", crd: crd(spec(["a": ["type": "array", "x-kubernetes-list-map-keys": ["name"],
                                                                             "items": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]]]])),
             causes: ["\(root).properties[spec].properties[a].x-kubernetes-list-type: Required value: must be map if x-kubernetes-list-map-keys is non-empty"]),
        Case(name: "list-map key neither required nor defaulted", crd: crd(spec(["a": ["type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                                                                                   "items": ["type": "object", "properties": ["name": ["type": "string"]]]]])),
             causes: ["\(root).properties[spec].properties[a].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"]),
        Case(name: "default of the wrong type", crd: crd(spec(["n": ["type": "integer", "default": "three"]])),
             causes: ["\(root).properties[spec].properties[n].default: Invalid value: \"string\":  in body must be of type integer: \"string\""]),
        Case(name: "default with unknown fields", crd: crd(spec(["o": ["type": "object", "properties": ["a": ["type": "string"]], "default": ["b": "x"]]])),
             causes: ["\(root).properties[spec].properties[o].default: Invalid value: {\"b\":\"x\"}: must not have unknown fields"]),
        Case(name: "uniqueItems", crd: crd(spec(["a": ["type": "array", "uniqueItems": true, "items": ["type": "string"]]])),
             causes: ["\(root).properties[spec].properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"]),
        Case(name: "printer column path", crd: crd(spec(["a": ["type": "string"]]), columns: [["name": "A", "type": "string", "jsonPath": "spec.a"]]),
             causes: ["spec.additionalPrinterColumns[0].JSONPath: Invalid value: \"spec.a\": must be a simple json path starting with ."]),
        Case(name: "printer column type", crd: crd(spec(["a": ["type": "string"]]), columns: [["name": "A", "type": "text", "jsonPath": ".spec.a"]]),
             causes: ["spec.additionalPrinterColumns[0].type: Invalid value: \"text\": must be one of boolean,date,integer,number,string"]),
        Case(name: "two storage versions", crd: crd([:], versions: [
            ["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]],
            ["name": "v2", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]),
             causes: ["spec.versions: Invalid value: [{\"Name\":\"v1\",\"Served\":true,\"Storage\":true,\"Deprecated\":false,\"DeprecationWarning\":null,\"Schema\":null,\"Subresources\":null,\"AdditionalPrinterColumns\":null,\"SelectableFields\":null},{\"Name\":\"v2\",\"Served\":true,\"Storage\":true,\"Deprecated\":false,\"DeprecationWarning\":null,\"Schema\":null,\"Subresources\":null,\"AdditionalPrinterColumns\":null,\"SelectableFields\":null}]: must have exactly one version marked as storage version"]),
        Case(name: "per-version schema errors", crd: crd([:], versions: [
            ["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]],
            ["name": "v2", "served": true, "storage": false, "schema": ["openAPIV3Schema": ["type": "string"]]]]),
             causes: ["spec.versions[1].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"]),
        Case(name: "CEL over budget", crd: crd(spec(["l": ["type": "array", "items": ["type": "string"]]],
                                                   extra: ["x-kubernetes-validations": [["rule": "self.l.all(x, self.l.all(y, x.matches(y)))"]]])),
             causes: ["\(root).properties[spec].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
                      "\(root).properties[spec].x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema",
                      "\(root): Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"]),
    ]

    @Test(arguments: cases)
    func invalidDefinitionsAreRejected(_ c: Case) async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let r = try http.request("POST", Self.crds, body: c.crd)
        #expect(r.status == 422)
        let causes = (r.json[path: ["details", "causes"]]?.arrayValue ?? []).map { "\($0["field"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
        #expect(causes == c.causes)
        #expect(r.json["message"]?.stringValue?.hasPrefix("CustomResourceDefinition.apiextensions.k8s.io \"things.example.com\" is invalid: ") == true)
        try await f.close()
    }

    @Test func acceptedDefinitionsGetConversionNone() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let r = try http.request("POST", Self.crds, body: Self.crd(Self.spec(["a": ["type": "string"], "p": ["x-kubernetes-int-or-string": true]])))
        #expect(r.status == 201)
        #expect(r.json[path: ["spec", "conversion"]] == ["strategy": "None"])
        try await f.close()
    }

    @Test func customResourceChecksRunInTheRealOrder() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let schema = Self.spec(["port": ["x-kubernetes-int-or-string": true], "n": ["type": "integer"],
                                "items": ["type": "array", "x-kubernetes-list-type": "set", "items": ["type": "string"]]],
                               extra: ["x-kubernetes-validations": [["rule": "!has(self.n) || self.n < 10", "message": "n too big"]]])
        #expect(try http.request("POST", Self.crds, body: Self.crd(schema)).status == 201)
        func create(_ spec: JSONValue) throws -> [String] {
            let r = try http.request("POST", "/apis/example.com/v1/namespaces/default/things",
                                     body: ["apiVersion": "example.com/v1", "kind": "Thing", "metadata": ["name": "t"], "spec": spec])
            return (r.json[path: ["details", "causes"]]?.arrayValue ?? []).map { "\($0["field"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
        }
        #expect(try create(["port": true, "n": 20]) == [
            "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"",
            "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        ])
        #expect(try create(["items": ["a", "b", "a"], "n": 20]) == [
            "spec.items[2]: Duplicate value: \"a\"", "spec: Invalid value: n too big",
        ])
        #expect(try create(["port": "80%", "n": 1]).isEmpty)
        try await f.close()
    }
}
