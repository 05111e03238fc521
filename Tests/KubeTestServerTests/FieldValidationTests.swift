import Foundation
import KubeAPI
@testable import KubeTestServer
import Testing

/// Server-side field validation (FINDINGS A8): Strict / Warn / Ignore for built-ins and custom
/// resources, duplicate fields, and the 422s for bad `fieldValidation` / `dryRun` values.
struct FieldValidationTests {
    static let cm = "/api/v1/namespaces/default/configmaps"

    static func configMap(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["a": "1"], "bogus": 1]
    }

    @Test func strictRejectsUnknownFieldsOfBuiltIns() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let r = try http.request("POST", "\(Self.cm)?fieldValidation=Strict", body: Self.configMap("s"))
        #expect(r.status == 400)
        #expect(r.json["reason"] == "BadRequest")
        #expect(r.json["message"] == "strict decoding error: unknown field \"bogus\"")
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "bogus": true],
                              "spec": ["containers": [["name": "c", "image": "busybox", "imagee": "typo"]]]]
        let nested = try http.request("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", body: pod)
        #expect(nested.json["message"] == "strict decoding error: unknown field \"metadata.bogus\", unknown field \"spec.containers[0].imagee\""
            || nested.json["message"] == "strict decoding error: unknown field \"spec.containers[0].imagee\", unknown field \"metadata.bogus\"",
                "\(nested.text)")
        try await f.close()
    }

    @Test func warnIsTheDefaultAndDropsTheField() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let r = try http.request("POST", Self.cm, body: Self.configMap("w"))
        #expect(r.status == 201)
        #expect(r.headers["warning"] == "299 - \"unknown field \\\"bogus\\\"\"")
        #expect(r.json["bogus"] == nil)
        let ignored = try http.request("POST", "\(Self.cm)?fieldValidation=Ignore", body: Self.configMap("i"))
        #expect(ignored.status == 201)
        #expect(ignored.headers["warning"] == nil)
        #expect(ignored.json["bogus"] == nil)
        let patched = try http.request("PATCH", "\(Self.cm)/w?fieldValidation=Strict", body: ["data": ["b": "2"], "nope": 1],
                                       headers: ["Content-Type": "application/merge-patch+json"])
        #expect(patched.status == 400)
        #expect(patched.json["message"] == "strict decoding error: unknown field \"nope\"")
        try await f.close()
    }

    @Test func duplicateFieldsAreStrictErrors() async throws {
        let f = try await Fixture.start()
        let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":{"a":"1","a":"2"}}"#.utf8)
        let request = APIRequest(method: "POST", uri: "\(Self.cm)?fieldValidation=Strict",
                                 headers: ["content-type": "application/json", "authorization": "Bearer \(KubeTestServer.adminToken)"], body: body)
        let response = APIHandler(store: f.server.store).handle(request, info: RequestInfo(method: "POST", path: Self.cm,
                                                                                         query: request.query))
        guard case .full(let code, _, let bytes) = response else { Issue.record("no response"); return }
        #expect(code == 400)
        #expect(try JSONValue(parsing: bytes)["message"] == "strict decoding error: duplicate field \"data.a\"")
        try await f.close()
    }

    @Test func badOptionValuesAre422LikeTheRealOptionsValidation() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let r = try http.request("POST", "\(Self.cm)?fieldValidation=Bogus", body: Self.configMap("b"))
        #expect(r.status == 422)
        #expect(r.json["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")
        #expect(r.json[path: ["details", "kind"]] == "CreateOptions")
        let dry = try http.request("POST", "\(Self.cm)?dryRun=Bogus", body: Self.configMap("b"))
        #expect(dry.status == 422)
        #expect(dry.json["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"Bogus\"]: supported values: \"All\"")
        let update = try http.request("PUT", "\(Self.cm)/b?fieldValidation=Bogus", body: Self.configMap("b"))
        #expect(update.json[path: ["details", "kind"]] == "UpdateOptions")
        try await f.close()
    }

    @Test func customResourcesGet400ForUnknownFieldsIncludingMetadata() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        #expect(try http.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: TestCRDs.widget).status == 201)
        var w = TestCRDs.widget("w1")
        w.set(path: ["spec", "bogus"], to: 1)
        let path = "/apis/example.com/v1/namespaces/default/widgets"
        let strict = try http.request("POST", "\(path)?fieldValidation=Strict", body: w)
        #expect(strict.status == 400, "\(strict.text)")
        #expect(strict.json["message"] == "strict decoding error: unknown field \"spec.bogus\"")
        var m = TestCRDs.widget("w2")
        m.set(path: ["metadata", "bogus"], to: 1)
        let meta = try http.request("POST", "\(path)?fieldValidation=Strict", body: m)
        #expect(meta.status == 400)
        #expect(meta.json["message"] == "strict decoding error: unknown field \"metadata.bogus\"")
        let warn = try http.request("POST", path, body: w)
        #expect(warn.status == 201)
        #expect(warn.headers["warning"] == "299 - \"unknown field \\\"spec.bogus\\\"\"")
        try await f.close()
    }

    @Test func yamlBodiesAreAcceptedForCreateAndApply() async throws {
        let f = try await Fixture.start()
        let handler = APIHandler(store: f.server.store)
        func send(_ method: String, _ uri: String, _ contentType: String, _ text: String) throws -> (Int, JSONValue) {
            let request = APIRequest(method: method, uri: uri,
                                     headers: ["content-type": contentType, "authorization": "Bearer \(KubeTestServer.adminToken)"],
                                     body: Array(text.utf8))
            guard case .full(let code, _, let bytes) = handler.handle(request, info: RequestInfo(method: method, path: request.path,
                                                                                               query: request.query)) else { return (0, .null) }
            return (code, try JSONValue(parsing: bytes))
        }
        let created = try send("POST", Self.cm, "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  a: \"1\"\n")
        #expect(created.0 == 201, "\(created.1)")
        #expect(created.1[path: ["data", "a"]] == "1")
        let applied = try send("PATCH", "\(Self.cm)/y?fieldManager=yaml", "application/apply-patch+yaml",
                               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  b: two\n")
        #expect(applied.0 == 200, "\(applied.1)")
        #expect(applied.1["data"] == ["a": "1", "b": "two"])
        try await f.close()
    }
}
