import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

@Suite(.timeLimit(.minutes(1))) struct UpdateTests {
    /// A one-object store with resourceVersion checks, like the API server's PUT.
    final class Store: Sendable {
        let object: Mutex<JSONValue>
        let conflictsToInject: Mutex<Int>
        init(_ o: JSONValue, conflicts: Int = 0) {
            object = Mutex(o)
            conflictsToInject = Mutex(conflicts)
        }

        func handle(_ req: TestRequest) -> TestResponse {
            if req.method == "GET" { return .full(status: 200, headers: [], body: object.withLock { $0.serialized() }) }
            guard let sent = try? JSONValue(parsing: req.body) else { return .json(400, "{}") }
            return object.withLock { current in
                let inject = conflictsToInject.withLock { n in n > 0 ? { n -= 1; return true }() : false }
                if inject || sent[path: ["metadata", "resourceVersion"]] != current[path: ["metadata", "resourceVersion"]] {
                    // Someone else wrote meanwhile.
                    let rv = Int(current[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0")! + 1
                    current.set(path: ["metadata", "resourceVersion"], to: .string("\(rv)"))
                    return .json(409, #"{"kind":"Status","reason":"Conflict","code":409,"message":"the object has been modified"}"#)
                }
                var next = sent
                let rv = Int(current[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0")! + 1
                next.set(path: ["metadata", "resourceVersion"], to: .string("\(rv)"))
                current = next
                return .full(status: 200, headers: [], body: next.serialized())
            }
        }
    }

    static let original: JSONValue = [
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": ["name": "j", "namespace": "ns", "resourceVersion": "1", "managedFields": [["manager": "kubectl"]],
                     "labels": ["a": "1"]],
        "spec": ["backoffLimit": 0, "podFailurePolicy": ["rules": []],
                 "template": ["spec": ["restartPolicy": "Never", "dnsPolicy": "ClusterFirst",
                                       "containers": [["name": "agent", "image": "i:1", "terminationMessagePath": "/dev/log",
                                                       "env": [["name": "A", "value": "x"]]]]]]],
        "status": ["uncountedTerminatedPods": [:]],
    ]

    @Test func updatePreservesUnknownFieldsIncludingInsideArrays() async throws {
        let store = Store(Self.original)
        let server = try await TestServer.start { store.handle($0) }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url, namespace: "ns"))
        let updated = try await c.update(Job.self, name: "j") { job in
            job.metadata.labels?["b"] = "2"
            job.spec?.template.spec.containers[0].image = "i:2"
            job.spec?.template.spec.containers[0].env?.append(EnvVar(name: "B", value: "y"))
        }
        #expect(updated.metadata.resourceVersion == "2")
        let stored = store.object.withLock { $0 }
        #expect(stored[path: ["metadata", "managedFields"]] == [["manager": "kubectl"]])
        #expect(stored[path: ["metadata", "labels"]] == ["a": "1", "b": "2"])
        #expect(stored[path: ["spec", "podFailurePolicy"]] == ["rules": []])
        #expect(stored[path: ["spec", "template", "spec", "dnsPolicy"]] == "ClusterFirst")
        let container = stored[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
        #expect(container?["terminationMessagePath"] == "/dev/log")  // unknown field inside an array element
        #expect(container?["image"] == "i:2")
        #expect(container?["env"]?.arrayValue?.count == 2)
        #expect(stored["status"] == ["uncountedTerminatedPods": [:]])
    }

    @Test func updateRetriesConflictsThenGivesUp() async throws {
        let store = Store(Self.original, conflicts: 2)
        let server = try await TestServer.start { store.handle($0) }
        defer { Task { try await server.shutdown() } }
        let c = KubeClient(config: KubeClientConfig(server: server.url, namespace: "ns"))
        let calls = Mutex(0)
        let job = try await c.update(Job.self, name: "j") { job in
            calls.withLock { $0 += 1 }
            job.spec?.backoffLimit = 1
        }
        #expect(calls.withLock { $0 } == 3)
        #expect(job.spec?.backoffLimit == 1)

        let stubborn = Store(Self.original, conflicts: 100)
        let server2 = try await TestServer.start { stubborn.handle($0) }
        defer { Task { try await server2.shutdown() } }
        let c2 = KubeClient(config: KubeClientConfig(server: server2.url, namespace: "ns"))
        await #expect(throws: KubeError.conflict(kind: "Job", name: "j", message: "the object has been modified")) {
            try await c2.update(Job.self, name: "j", maxConflictRetries: 2) { $0.spec?.backoffLimit = 3 }
        }
    }

    @Test func rawMergeRules() {
        let raw: JSONValue = ["a": [["k": 1, "unknown": true]], "b": [1, 2], "c": "keep"]
        let before: JSONValue = ["a": [["k": 1]], "b": [1, 2]]
        let sameLength: JSONValue = ["a": [["k": 2]], "b": [1, 2]]
        #expect(RawMerge.apply(raw: raw, before: before, after: sameLength) == ["a": [["k": 2, "unknown": true]], "b": [1, 2], "c": "keep"])
        let grown: JSONValue = ["a": [["k": 1], ["k": 3]]]
        #expect(RawMerge.apply(raw: raw, before: before, after: grown) == ["a": [["k": 1], ["k": 3]], "c": "keep"])
        #expect(RawMerge.apply(raw: raw, before: before, after: before) == raw)
    }
}
