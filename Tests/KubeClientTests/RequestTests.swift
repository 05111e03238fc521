import KubeAPI
import Testing
@testable import KubeClient

@Suite(.timeLimit(.minutes(1))) struct RequestTests {
    func client(_ server: TestServer, sleeps: Recorder<Duration> = Recorder(),
                records: Recorder<RequestRecord>? = nil) -> KubeClient {
        var observer: RequestObserver?
        if let records { observer = { records.append($0) } }
        return KubeClient(config: KubeClientConfig(server: server.url, credentials: .token("secret-token"), namespace: "ns1"),
                          retryPolicy: recordingPolicy(sleeps), observer: observer)
    }

    @Test func typedCRUDBuildsKubernetesRequests() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            switch (req.method, req.path) {
            case ("GET", "/api/v1/namespaces/ns1/secrets/s1"):
                return .json(200, #"{"metadata":{"name":"s1","namespace":"ns1","resourceVersion":"5"},"data":{"k":"dg=="}}"#)
            case ("GET", "/apis/batch/v1/namespaces/ns1/jobs"):
                return .json(200, #"{"kind":"JobList","metadata":{"resourceVersion":"77","continue":"c2"},"items":[{"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}}]}"#)
            case ("POST", "/api/v1/namespaces"):
                return .full(status: 201, headers: [], body: req.body)
            case ("PATCH", "/apis/coordination.k8s.io/v1/namespaces/ns1/leases/l"):
                return .json(200, #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"me"}}"#)
            case ("DELETE", "/api/v1/namespaces/gone"):
                return .json(200, #"{"kind":"Status","status":"Success"}"#)
            default:
                return .json(404, #"{"kind":"Status","reason":"NotFound","code":404,"message":"nope"}"#)
            }
        }
        defer { Task { try await server.shutdown() } }
        let records = Recorder<RequestRecord>()
        let c = client(server, records: records)

        let secret = try await c.get(Secret.self, name: "s1")
        #expect(secret.decodedData("k") == Array("v".utf8))

        let jobs = try await c.list(Job.self, namespace: "ns1", options: ListOptions(labelSelector: "app=x,tier in (a,b)", limit: 1, continue: "c1"))
        #expect(jobs.items.first?.metadata.name == "j" && jobs.metadata.continue == "c2")
        let listReq = seen.all[1]
        #expect(listReq.query["labelSelector"] == "app=x,tier in (a,b)")
        #expect(listReq.query["limit"] == "1" && listReq.query["continue"] == "c1")

        let created = try await c.create(Namespace(metadata: ObjectMeta(name: "new")), options: WriteOptions(fieldManager: "codex"))
        #expect(created.metadata.name == "new")
        let body = try JSONValue(parsing: seen.all[2].body)
        #expect(body["apiVersion"] == "v1" && body["kind"] == "Namespace")
        #expect(seen.all[2].query["fieldManager"] == "codex")

        _ = try await c.patch(Lease.self, name: "l", .apply(["spec": ["holderIdentity": "me"]], fieldManager: "elector", force: true))
        let patchReq = seen.all[3]
        #expect(patchReq.header("Content-Type") == "application/apply-patch+yaml")
        #expect(patchReq.query["fieldManager"] == "elector" && patchReq.query["force"] == "true")

        try await c.delete(Namespace.self, name: "gone",
                           options: DeleteOptions(preconditionUID: "u1", preconditionResourceVersion: "9",
                                                  propagationPolicy: .foreground, gracePeriodSeconds: 0))
        let del = try JSONValue(parsing: seen.all[4].body)
        #expect(del["preconditions"] == ["uid": "u1", "resourceVersion": "9"])
        #expect(del["propagationPolicy"] == "Foreground" && del["gracePeriodSeconds"] == 0)

        await #expect(throws: KubeError.notFound(kind: "Pod", name: "missing", message: "nope")) {
            _ = try await c.get(Pod.self, name: "missing")
        }
        #expect(seen.all.allSatisfy { $0.header("Authorization") == "Bearer secret-token" })
        #expect(records.all.map(\.verb) == ["get", "list", "create", "patch", "delete", "get"])
        #expect(records.all.map(\.statusCode) == [200, 200, 201, 200, 200, 404])
        #expect(records.all[1].resource == "jobs.batch")
    }

    @Test func jsonPatchWithTestOpAndStatusSubresource() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            if req.method == "PATCH" && req.path.hasSuffix("/status") {
                return .json(422, #"{"kind":"Status","reason":"Invalid","code":422,"message":"the server rejected our request due to an error in our request","details":{"causes":[{"reason":"FieldValueInvalid","field":"status.phase"}]}}"#)
            }
            return .json(200, #"{"metadata":{"name":"j"}}"#)
        }
        defer { Task { try await server.shutdown() } }
        let c = client(server)
        _ = try await c.patch(Job.resource, name: "j", .json([.test(path: "/metadata/resourceVersion", value: "4"),
                                                            .replace(path: "/spec/suspend", value: true)]))
        #expect(seen.all[0].header("Content-Type") == "application/json-patch+json")
        #expect(try JSONValue(parsing: seen.all[0].body) == [["op": "test", "path": "/metadata/resourceVersion", "value": "4"],
                                                          ["op": "replace", "path": "/spec/suspend", "value": true]])
        await #expect {
            _ = try await c.patchStatus(Job.self, name: "j", .merge(["status": ["phase": "x"]]))
        } throws: { error in
            guard case .invalid(_, _, _, let causes) = error as? KubeError else { return false }
            return causes.first?.field == "status.phase"
        }
        #expect(seen.all[1].path == "/apis/batch/v1/namespaces/ns1/jobs/j/status")
    }

    @Test func retriesAfter429HonouringRetryAfter() async throws {
        let attempts = Recorder<Int>()
        let server = try await TestServer.start { req in
            attempts.append(1)
            if attempts.all.count < 3 {
                return .json(429, #"{"kind":"Status","reason":"TooManyRequests","code":429,"message":"slow"}"#,
                             headers: [("Retry-After", "2")])
            }
            return .full(status: 201, headers: [], body: req.body)
        }
        defer { Task { try await server.shutdown() } }
        let sleeps = Recorder<Duration>()
        let c = client(server, sleeps: sleeps)
        let ns = try await c.create(Namespace(metadata: ObjectMeta(name: "after-429")))
        #expect(ns.metadata.name == "after-429")
        #expect(sleeps.all == [.seconds(2), .seconds(2)])
    }

    /// The same POST as `create`; a 201 whose body is not an object is fine (nothing is decoded);
    /// errors are mapped and not retried like `create`'s.
    @Test func createDiscardingResultSendsTheCreateAndSkipsTheDecode() async throws {
        let seen = Recorder<TestRequest>()
        let server = try await TestServer.start { req in
            seen.append(req)
            if seen.all.count == 1 { return .full(status: 201, headers: [], body: Array("not json".utf8)) }
            return .json(409, #"{"kind":"Status","reason":"AlreadyExists","code":409,"message":"exists"}"#)
        }
        defer { Task { try await server.shutdown() } }
        let c = client(server)
        try await c.createDiscardingResult(Namespace(metadata: ObjectMeta(name: "new")), options: WriteOptions(fieldManager: "codex"))
        do {
            try await c.createDiscardingResult(Namespace(metadata: ObjectMeta(name: "new")))
            Issue.record("expected AlreadyExists")
        } catch {
            #expect(error.isAlreadyExists, "\(error)")
        }
        let requests = seen.all
        #expect(requests.count == 2)  // a create is not retried
        #expect(requests.first?.method == "POST")
        #expect(requests.first?.path == "/api/v1/namespaces")
        #expect(requests.first?.query["fieldManager"] == "codex")
        #expect(try JSONValue(parsing: requests.first?.body ?? [])[path: ["metadata", "name"]] == "new")
    }

    @Test func createIsNotRetriedOnServerError() async throws {
        let attempts = Recorder<Int>()
        let server = try await TestServer.start { _ in
            attempts.append(1)
            return .json(503, #"{"kind":"Status","reason":"ServiceUnavailable","code":503,"message":"down"}"#)
        }
        defer { Task { try await server.shutdown() } }
        let sleeps = Recorder<Duration>()
        let c = client(server, sleeps: sleeps)
        await #expect(throws: KubeError.server(code: 503, reason: "ServiceUnavailable", message: "down")) {
            _ = try await c.create(Namespace(metadata: ObjectMeta(name: "x")))
        }
        #expect(attempts.all.count == 1)
        await #expect(throws: KubeError.self) { _ = try await c.get(Namespace.self, name: "x") }
        #expect(attempts.all.count == 5)  // 1 create + 4 GET attempts
        #expect(sleeps.all.count == 3)
    }

    @Test func transportFailureIsTyped() async throws {
        let c = KubeClient(config: KubeClientConfig(server: "http://127.0.0.1:1"), retryPolicy: .none)
        await #expect {
            _ = try await c.get(Namespace.self, name: "x")
        } throws: { error in
            if case .transport(let code, _) = error as? KubeError { return code == 7 }
            return false
        }
    }

    @Test func cancelledRequestAbortsPromptly() async throws {
        let (hang, hangContinuation) = AsyncStream<[UInt8]>.makeStream()
        let arrived = AsyncStream<Void>.makeStream()
        let server = try await TestServer.start { _ in
            arrived.continuation.yield()
            return .stream(status: 200, chunks: hang)
        }
        defer {
            hangContinuation.finish()
            Task { try await server.shutdown() }
        }
        let c = client(server)
        let task = Task { try await c.get(Namespace.resource, name: "slow") }
        var it = arrived.stream.makeAsyncIterator()
        _ = await it.next()  // the request reached the server
        task.cancel()
        // Ends at all (the suite's time limit bounds a hang) and as cancelled; no wall-clock bound:
        // the resumed test waits for a free pool thread, which a loaded full run can delay.
        let result = await task.result
        #expect(throws: KubeError.cancelled) { try result.get() }
        var closed = server.closed.makeAsyncIterator()
        _ = await closed.next()  // the connection was dropped by the client
    }
}
