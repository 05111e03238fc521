import KubeAPI
import KubeTestServer
import Testing

/// Custom resources against their CRD's structural schema, over HTTP.
struct SchemaValidationTests {
    static let widgets = "/apis/example.com/v1/namespaces/default/widgets"

    static func start() async throws -> (Fixture, RawHTTP) {
        let f = try await Fixture.start()
        let c = try f.http()
        let crd = try c.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: TestCRDs.widget)
        #expect(crd.status == 201)
        return (f, c)
    }

    static func widget(_ spec: JSONValue, name: String = "w") -> JSONValue {
        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var spec: JSONValue
        var field: String
        var reason: String
        var message: String
        var testDescription: String { "\(field) \(reason)" }
        init(_ spec: JSONValue, _ field: String, _ reason: String, _ message: String) {
            self.spec = spec
            self.field = field
            self.reason = reason
            self.message = message
        }
    }

    static let cases: [Case] = [
        Case(["color": "red"], "spec.size", "FieldValueRequired", "Required value"),
        Case(["size": "big"], "spec.size", "FieldValueTypeInvalid", "spec.size in body must be of type integer: \"string\""),
        Case(["size": 11], "spec.size", "FieldValueInvalid", "should be less than or equal to 10"),
        Case(["size": 0], "spec.size", "FieldValueInvalid", "should be greater than or equal to 1"),
        Case(["size": 1, "color": "pink"], "spec.color", "FieldValueNotSupported",
             "Unsupported value: \"pink\": supported values: \"red\", \"green\", \"blue\""),
        Case(["size": 1, "name": "nope"], "spec.name", "FieldValueInvalid", "should match '^[a-z]+/[a-z]+$'"),
        Case(["size": 1, "name": "abcdefghij/abcdefghij"], "spec.name", "FieldValueTooLong", "Too long: may not be more than 20 bytes"),
        Case(["size": 1, "tags": ["ok", ""]], "spec.tags[1]", "FieldValueInvalid", "should be at least 1 chars long"),
        Case(["size": 1, "labels": ["a": 1]], "spec.labels.a", "FieldValueTypeInvalid", "must be of type string"),
        Case(["size": 7, "color": "blue"], "spec", "FieldValueInvalid", "big widgets cannot be blue"),
    ]

    @Test(arguments: cases)
    func invalidObjectsAreRejectedWithCauses(_ t: Case) async throws {
        let (spec, field, reason, message) = (t.spec, t.field, t.reason, t.message)
        let (f, c) = try await Self.start()
        let r = try c.request("POST", Self.widgets, body: Self.widget(spec))
        #expect(r.status == 422)
        #expect(r.json["reason"] == "Invalid")
        #expect(r.json["message"]?.stringValue?.hasPrefix("Widget.example.com \"w\" is invalid: ") == true)
        let causes = r.json[path: ["details", "causes"]]?.arrayValue ?? []
        let cause = causes.first { $0["field"]?.stringValue == field }
        #expect(cause?["reason"]?.stringValue == reason, "\(causes)")
        #expect(cause?["message"]?.stringValue?.contains(message) == true, "\(causes)")
        #expect(try c.request("GET", Self.widgets + "/w").status == 404, "nothing was stored")
        try await f.close()
    }

    @Test func defaultsPruningNullableAndPreservedFields() async throws {
        let (f, c) = try await Self.start()
        let spec: JSONValue = ["size": 2, "bogus": 1, "note": .null, "extra": ["anything": ["deep": true]]]
        var body = Self.widget(spec)
        body["topLevelJunk"] = "x"
        body["status"] = ["phase": "Ignored"]
        let r = try c.request("POST", Self.widgets, body: body)
        #expect(r.status == 201)
        #expect(r.json[path: ["spec", "color"]] == "red", "default applied")
        #expect(r.json[path: ["spec", "bogus"]] == nil, "unknown field pruned")
        #expect(r.json["topLevelJunk"] == nil)
        #expect(r.json[path: ["spec", "note"]] == .null, "nullable null kept")
        #expect(r.json[path: ["spec", "extra", "anything", "deep"]] == true, "preserve-unknown-fields")
        #expect(r.json["status"] == nil, "status is not set on create with a status subresource")
        let strict = try c.request("POST", Self.widgets + "?fieldValidation=Strict", body: Self.widget(["size": 1, "bogus": 1], name: "s"))
        #expect(strict.status == 400, "real: BadRequest, not Invalid")
        #expect(strict.json["message"] == "strict decoding error: unknown field \"spec.bogus\"")
        try await f.close()
    }

    @Test func statusSubresourceOfCustomResources() async throws {
        let (f, c) = try await Self.start()
        let created = try c.request("POST", Self.widgets, body: Self.widget(["size": 2])).json
        var withStatus = created
        withStatus["status"] = ["phase": "Ready", "count": 3]
        withStatus.set(path: ["spec", "size"], to: 9)
        let s = try c.request("PUT", Self.widgets + "/w/status", body: withStatus)
        #expect(s.status == 200)
        #expect(s.json[path: ["status", "phase"]] == "Ready")
        #expect(s.json[path: ["spec", "size"]] == 2)
        #expect(s.json[path: ["metadata", "generation"]] == 1)
        let bad = try c.request("PATCH", Self.widgets + "/w/status", body: ["status": ["count": "many"]],
                                headers: ["Content-Type": "application/merge-patch+json"])
        #expect(bad.status == 422, "status is validated too")
        let spec = try c.request("PATCH", Self.widgets + "/w", body: ["spec": ["size": 4], "status": ["phase": "Hacked"]],
                                 headers: ["Content-Type": "application/merge-patch+json"])
        #expect(spec.json[path: ["metadata", "generation"]] == 2)
        #expect(spec.json[path: ["status", "phase"]] == "Ready")
        try await f.close()
    }
}
