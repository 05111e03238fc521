import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// The Swift controls tests use: fault injection, request log, fake kubelet, restarts.
struct TestControlTests {
    static let cms = "/api/v1/namespaces/default/configmaps"
    static let jobs = "/apis/batch/v1/namespaces/default/jobs"

    static func job(_ name: String, backoffLimit: Int64 = 0) -> JSONValue {
        ["metadata": ["name": .string(name)], "spec": ["backoffLimit": .int(backoffLimit), "template": [
            "spec": ["restartPolicy": "Never", "containers": [["name": "agent", "image": "codex:1"]]]]]]
    }

    @Test func failNextRequestsThenRecover() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        f.server.faults.fail(RequestMatcher(verb: "create", resource: "configmaps"), count: 2, code: 429, retryAfter: 3)
        let first = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]])
        #expect(first.status == 429)
        #expect(first.headers["retry-after"] == "3")
        #expect(first.json["reason"] == "TooManyRequests")
        #expect(try c.request("GET", Self.cms).status == 200, "other verbs are unaffected")
        #expect(try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]]).status == 429)
        #expect(try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]]).status == 201)
        f.server.faults.fail(count: 1, code: 503)
        let unavailable = try c.request("GET", Self.cms + "/a")
        #expect(unavailable.status == 503 && unavailable.json["reason"] == "ServiceUnavailable")
        f.server.faults.fail(RequestMatcher(resource: "configmaps"), code: 500)
        #expect(try c.request("GET", Self.cms + "/a").status == 500)
        #expect(try c.request("GET", Self.cms + "/a").status == 200)
        try await f.close()
    }

    @Test func latencyDelaysMatchingRequests() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        f.server.faults.addLatency(0.2, for: RequestMatcher(verb: "list"))
        let start = ContinuousClock.now
        #expect(try c.request("GET", Self.cms).status == 200)
        #expect(ContinuousClock.now - start >= .milliseconds(200))
        try await f.close()
    }

    @Test func requestLogCountsByVerbAndResource() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "a"]])
        _ = try c.request("GET", Self.cms + "/a")
        _ = try c.request("GET", Self.cms)
        _ = try c.request("PATCH", Self.cms + "/a", body: ["data": ["x": "y"]], headers: ["Content-Type": "application/merge-patch+json"])
        _ = try c.request("GET", "/apis/batch/v1/namespaces/default/jobs")
        let log = f.server.requests
        #expect(log.count(verb: "create", resource: "configmaps") == 1)
        #expect(log.count(verb: "get", resource: "configmaps") == 1)
        #expect(log.count(verb: "list", resource: "configmaps") == 1)
        #expect(log.count(verb: "list", resource: "jobs.batch") == 1)
        #expect(log.writes() == 2)
        #expect(log.all.last?.code == 200)
        log.reset()
        #expect(log.all.isEmpty)
        try await f.close()
    }

    @Test func dropConnectionsKeepsStorage() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.cms, body: ["metadata": ["name": "kept"]])
        let w = try f.http()
        _ = try w.send("GET", Self.cms + "?watch=true&resourceVersion=\(f.server.store.currentResourceVersion)")
        f.server.dropConnections()
        #expect(throws: RawHTTP.Failure.self) { _ = try w.nextEvent() }
        let fresh = try f.http()
        #expect(try fresh.request("GET", Self.cms + "/kept").status == 200)
        try await f.close()
    }

    @Test func fakeKubeletDrivesJobToComplete() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        let job = try c.request("POST", Self.jobs, body: Self.job("run")).json
        let podName = try #require(f.server.kubelet.currentPod(ofJob: "run", namespace: "default"))
        let pod = try c.request("GET", "/api/v1/namespaces/default/pods/\(podName)").json
        #expect(pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == job[path: ["metadata", "uid"]])
        #expect(pod[path: ["metadata", "labels", "job-name"]] == "run")
        #expect(pod[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "codex:1")
        #expect(try c.request("GET", Self.jobs + "/run").json[path: ["status", "active"]] == 1)
        try f.server.kubelet.run(job: "run", namespace: "default")
        #expect(try c.request("GET", Self.jobs + "/run").json[path: ["status", "ready"]] == 1)
        try f.server.kubelet.succeed(job: "run", namespace: "default")
        let done = try c.request("GET", Self.jobs + "/run").json
        #expect(done[path: ["status", "succeeded"]] == 1)
        #expect(done[path: ["status", "completionTime"]] != nil)
        let types = (done[path: ["status", "conditions"]]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
        #expect(types.contains("Complete"))
        try await f.close()
    }

    @Test func fakeKubeletFailuresAndWaitingReasons() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.jobs, body: Self.job("pull"))
        try f.server.kubelet.wait(job: "pull", namespace: "default", reason: .imagePullBackOff)
        let pod = try c.request("GET", "/api/v1/namespaces/default/pods/\(f.server.kubelet.currentPod(ofJob: "pull", namespace: "default") ?? "")").json
        #expect(pod[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "waiting", "reason"]] == "ImagePullBackOff")
        try f.server.kubelet.wait(job: "pull", namespace: "default", reason: .crashLoopBackOff)
        try f.server.kubelet.fail(job: "pull", namespace: "default")
        let failed = try c.request("GET", Self.jobs + "/pull").json
        let failedCond = (failed[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Failed" }
        #expect(failedCond?["reason"] == "BackoffLimitExceeded")
        _ = try c.request("POST", Self.jobs, body: Self.job("retry", backoffLimit: 1))
        let firstPod = f.server.kubelet.currentPod(ofJob: "retry", namespace: "default")
        try f.server.kubelet.fail(job: "retry", namespace: "default")
        #expect(f.server.kubelet.pods(ofJob: "retry", namespace: "default").count == 2, "a replacement pod within backoffLimit")
        #expect(f.server.kubelet.currentPod(ofJob: "retry", namespace: "default") != firstPod)
        _ = try c.request("POST", Self.jobs, body: Self.job("slow"))
        try f.server.kubelet.exceedDeadline(job: "slow", namespace: "default")
        let slow = try c.request("GET", Self.jobs + "/slow").json
        #expect((slow[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["reason"] == "DeadlineExceeded" })
        #expect(f.server.kubelet.pods(ofJob: "slow", namespace: "default").isEmpty, "active pods are deleted")
        try await f.close()
    }

    @Test func jobDeletionDefaultsToOrphanLikeBatchV1() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        _ = try c.request("POST", Self.jobs, body: Self.job("o"))
        let pod = f.server.kubelet.currentPod(ofJob: "o", namespace: "default") ?? ""
        _ = try c.request("DELETE", Self.jobs + "/o")
        #expect(try c.request("GET", "/api/v1/namespaces/default/pods/\(pod)").status == 200)
        _ = try c.request("POST", Self.jobs, body: Self.job("b"))
        let pod2 = f.server.kubelet.currentPod(ofJob: "b", namespace: "default") ?? ""
        _ = try c.request("DELETE", Self.jobs + "/b?propagationPolicy=Background")
        #expect(try c.request("GET", "/api/v1/namespaces/default/pods/\(pod2)").status == 404)
        try await f.close()
    }
}
