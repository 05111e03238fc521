import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// `ServerOptions.requestLogLimit`: the log keeps only the newest N requests, while the counts
/// (`count`, `writes`, `tally`, `total`) still cover every request since the last reset.
struct RequestLogLimitTests {
    static let cms = "/api/v1/namespaces/default/configmaps"

    @Test func boundedLogKeepsTheNewestRequestsAndCountsEveryOne() async throws {
        var options = ServerOptions()
        options.requestLogLimit = 3
        let f = try await Fixture.start(options: options)
        let c = try f.http()
        for name in ["a", "b", "c", "d"] {
            #expect(try c.request("POST", Self.cms, body: ["metadata": ["name": .string(name)]], headers: ["User-Agent": "bench"]).status == 201)
        }
        #expect(try c.request("GET", Self.cms + "/d", headers: ["User-Agent": "bench"]).status == 200)
        let log = f.server.requests
        #expect(log.all.map(\.verb) == ["create", "create", "get"], "only the newest 3, oldest first")
        #expect(log.all.map(\.code) == [201, 201, 200])
        #expect(log.all.last?.name == "d")
        #expect(log.total == 5)
        #expect(log.count(verb: "create", resource: "configmaps") == 4)
        #expect(log.writes() == 4)
        #expect(log.tally[RequestTallyKey(userAgent: "bench", verb: "create", resource: "configmaps")] == 4)
        #expect(log.tally[RequestTallyKey(userAgent: "bench", verb: "get", resource: "configmaps")] == 1)
        #expect(await log.waitFor(verb: "get").name == "d", "a retained request is found at once")
        log.reset()
        #expect(log.all.isEmpty && log.total == 0 && log.tally.isEmpty && log.count() == 0)
        #expect(try c.request("GET", Self.cms + "/a").status == 200)
        #expect(log.all.map(\.name) == ["a"] && log.total == 1, "a get names its object")
        try await f.close()
    }

    @Test func unboundedLogByDefaultKeepsEveryRequest() async throws {
        let f = try await Fixture.start()
        let c = try f.http()
        for i in 0..<20 { _ = try c.request("GET", Self.cms + "/x\(i)") }
        #expect(f.server.requests.limit == nil)
        #expect(f.server.requests.all.count == 20 && f.server.requests.total == 20)
        try await f.close()
    }
}
