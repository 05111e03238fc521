import KubeAPI
import KubeTestServer
import TestSupport
import Testing

/// Random requests over real HTTP (FINDINGS B1): whatever the method, path, query, headers and
/// body, the server answers each with a well-formed response — errors as a `Status` JSON whose
/// `code` is the HTTP status, no 5xx but the few the apiserver itself gives — and keeps serving.
/// Reproducible from the seed; a failure prints the request that caused it.
struct FuzzTests {
    static let segments = [
        "api", "apis", "v1", "v2", "batch", "namespaces", "default", "fuzz", "configmaps", "secrets", "pods", "jobs",
        "events", "events.k8s.io", "leases", "coordination.k8s.io", "status", "finalize", "watch", "widgets",
        "example.com", "customresourcedefinitions", "apiextensions.k8s.io", "widgets.example.com", "serviceaccounts",
        "selfsubjectaccessreviews", "authorization.k8s.io", "rbac.authorization.k8s.io", "roles", "version", "openapi",
        "v3", "healthz", "readyz", "x", "", "..", ".", "%2F", "%zz", "%00", "A_B", String(repeating: "n", count: 300),
    ]
    static let queryKeys = [
        "watch", "resourceVersion", "resourceVersionMatch", "limit", "continue", "labelSelector", "fieldSelector",
        "timeoutSeconds", "dryRun", "fieldManager", "force", "propagationPolicy", "sendInitialEvents",
        "allowWatchBookmarks", "fieldValidation", "orphanDependents", "gracePeriodSeconds", "pretty",
    ]
    static let queryValues = [
        "", "true", "false", "1", "0", "-1", "2", "99999999999999999999", "1e308", "NaN", "All", "Bogus", "Exact",
        "NotOlderThan", "Foreground", "Orphan", "Strict", "a%3Db", "a!%3Db,c", "a+in+(x,y)", "metadata.name%3Dx",
        "status.phase%3DRunning", "%zz", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0", "!!", "a%2Cb",
    ]
    static let contentTypes = [
        "application/json", "application/merge-patch+json", "application/json-patch+json",
        "application/strategic-merge-patch+json", "application/apply-patch+yaml", "application/vnd.kubernetes.protobuf",
        "application/cbor", "text/plain", "garbage/;;;",
    ]
    static let accepts = [
        "application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "*/*",
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", "application/yaml",
    ]
    static let methods = ["GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
    static let validBodies: [JSONValue] = [
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "fuzz"], "data": ["k": "v"]],
        ["metadata": ["name": "x", "finalizers": ["fuzz.example/hold"], "resourceVersion": "5"], "data": [:]],
        [["op": "add", "path": "/data/k", "value": "v"], ["op": "remove", "path": "/metadata/name"]],
        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "x"], "spec": ["size": 3]],
        ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["generateName": "j-"],
         "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "i"]]]]]],
        ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground", "preconditions": ["uid": "u"]],
        ["spec": ["finalizers": []], "metadata": ["labels": ["a": .null]], "status": ["phase": 7]],
    ]

    @Test(arguments: [UInt64(0xC0DE_C8), 0x5EED_0001])
    func randomRequestsGetWellFormedAnswers(seed: UInt64) async throws {
        var options = ServerOptions()
        options.resourceVersionWait = 0.01
        let f = try await Fixture.start(options: options)
        let setup = try f.http()
        _ = try setup.request("POST", "/api/v1/namespaces", body: ["metadata": ["name": "fuzz"]])
        _ = try setup.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: TestCRDs.widget)
        var rng = SplitMix(seed: seed)
        for i in 0..<2500 {
            let method = Self.methods.randomElement(using: &rng)!
            var path = Self.path(&rng)
            var query: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                query.append("\(Self.queryKeys.randomElement(using: &rng)!)=\(Self.queryValues.randomElement(using: &rng)!)")
            }
            if !query.isEmpty { path += "?" + query.joined(separator: "&") }
            let body = Self.body(&rng)
            var headers = ["Accept": Self.accepts.randomElement(using: &rng)!]
            if body != nil { headers["Content-Type"] = Self.contentTypes.randomElement(using: &rng)! }
            let request = "#\(i) seed \(seed): \(method) \(path) \(headers) body \(String(decoding: body ?? [], as: UTF8.self).prefix(200))"
            let c = try RawHTTP(port: f.server.port, timeout: 30)
            let r: RawHTTP.Response
            do {
                r = try c.exchange(method, path, bytes: body, headers: headers)
            } catch {
                Issue.record("no well-formed answer (\(error)) to \(request)")
                break
            }
            check(r, method: method, request: request)
        }
        let after = try f.http().request("GET", "/api/v1/namespaces/default/configmaps")
        #expect(after.status == 200, "the server keeps serving")
        try await f.close()
    }

    private func check(_ r: RawHTTP.Response, method: String, request: String) {
        #expect((200..<600).contains(r.status), "\(request)")
        guard r.status >= 400, method != "HEAD" else { return }
        if r.status == 404, r.headers["content-type"]?.hasPrefix("text/plain") == true {
            #expect(r.text == "404 page not found\n", "\(request)")
            return
        }
        if r.status == 406 { return }  // not acceptable: Status in JSON, as the apiserver negotiates it
        let status = r.json
        #expect(status["kind"] == "Status" && status["status"] == "Failure", "\(r.status) \(r.text.prefix(300)) for \(request)")
        #expect(status["code"]?.intValue == Int64(r.status), "\(request)")
        if r.status >= 500 {
            let known = ["resourceVersion should not be set on objects to be created"]
            #expect(r.status == 504 || known.contains(status["message"]?.stringValue ?? ""),
                    "unexpected \(r.status) \(r.text.prefix(300)) for \(request)")
        }
    }

    static let groupVersions = [
        "/api/v1", "/api/v1", "/apis/batch/v1", "/apis/example.com/v1", "/apis/coordination.k8s.io/v1",
        "/apis/events.k8s.io/v1", "/apis/apiextensions.k8s.io/v1", "/apis/authorization.k8s.io/v1",
        "/apis/rbac.authorization.k8s.io/v1", "/apis/nope.example/v1", "/apis/batch/v9",
    ]
    static let resources = [
        "configmaps", "configmaps", "secrets", "pods", "jobs", "events", "leases", "widgets", "customresourcedefinitions",
        "namespaces", "serviceaccounts", "selfsubjectaccessreviews", "roles", "nope",
    ]
    static let names = ["x", "x", "y", "default", "fuzz", "widgets.example.com", "Bad_Name", "a.b", "-"]

    /// Mostly a resource path as the apiserver routes them (group/version, `watch/`, namespace,
    /// resource, name, subresource, each present or not), else random real segments.
    static func path(_ rng: inout SplitMix) -> String {
        guard Int.random(in: 0..<4, using: &rng) > 0 else {
            var path = ""
            for _ in 0..<Int.random(in: 1...7, using: &rng) { path += "/" + segments.randomElement(using: &rng)! }
            return path
        }
        var path = groupVersions.randomElement(using: &rng)!
        if Int.random(in: 0..<8, using: &rng) == 0 { path += "/watch" }
        if Bool.random(using: &rng) { path += "/namespaces/" + ["default", "fuzz", "nope", "kube-system"].randomElement(using: &rng)! }
        path += "/" + resources.randomElement(using: &rng)!
        if Bool.random(using: &rng) {
            path += "/" + names.randomElement(using: &rng)!
            if Int.random(in: 0..<3, using: &rng) == 0 {
                path += "/" + ["status", "finalize", "scale", "x/y"].randomElement(using: &rng)!
            }
        }
        return path
    }

    /// nil (no body), random bytes, or a valid body, possibly mutated byte by byte.
    static func body(_ rng: inout SplitMix) -> [UInt8]? {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            return nil
        case 1:
            return (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        default:
            var bytes = validBodies.randomElement(using: &rng)!.serialized()
            for _ in 0..<Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: at)
                default: bytes.insert(Array("{}[]\",:0-e\\".utf8).randomElement(using: &rng)!, at: at)
                }
            }
            return bytes
        }
    }
}
