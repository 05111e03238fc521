import Foundation
import KubeAPI
import KubeClient
import KubeTestServer
import Runs
import Testing
import Webhook

/// What a delivery costs in API requests (issue 12: the trigger dedup is read from the watch
/// cache, not a list per delivery). In memory only: it reads the server's request log.
@Suite struct WebhookRequestBudgetTests {
    /// A delivery that creates a run costs exactly one request, the create; a same-trigger
    /// delivery and a redelivery cost none (answered from the cache and the process's own creates).
    @Test func aDeliveryCostsOneCreateAndADuplicateNothing() async throws {
        try await WebhookHarness.with { h in
            h.server.requests.reset()
            var ids: [String] = []
            for issue in 1...5 {
                let id = UUID().uuidString.lowercased()
                ids.append(id)
                let answer = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: Int64(issue), label: "run:dev"), id: id)
                #expect(answer.code == 202, "\(answer)")
            }
            // The same triggers again (new delivery ids) and a redelivery — right away, whether or
            // not the cache has seen the runs yet.
            for issue in 1...5 {
                let answer = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: Int64(issue), label: "run:dev"))
                #expect(answer.code == 200 && answer.reason == "active_run_exists", "\(answer)")
            }
            let again = try await h.deliver("issues", GitHubPayloads.issues("labeled", issue: 1, label: "run:dev"), id: ids[0])
            #expect(again.code == 200 && again.status == "duplicate", "\(again)")
            let adapterRequests = h.server.requests.all.filter { $0.resource == "agentruns.codex-k8s.dev" && $0.verb != "watch" }
            #expect(adapterRequests.map(\.verb) == Array(repeating: "create", count: 5),
                    "\(adapterRequests.map { "\($0.verb) \($0.path)" })")
        }
    }
}
