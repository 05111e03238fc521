import KubeAPI
import KubeRuntime
import Runs
import Testing
@testable import Webhook

/// `OwnCreates`: the runs this process created that its watch cache has not seen yet — the
/// ordering cases a live cache only hits by chance.
@Suite struct WebhookOwnCreatesTests {
    let key = TriggerKey(repository: "acme/shop", issue: 7, stage: .dev, revise: false)
    let other = TriggerKey(repository: "acme/shop", issue: 7, stage: .qa, revise: false)

    func run(_ name: String) -> AgentRun {
        AgentRun(metadata: ObjectMeta(name: name, namespace: "codex-system"),
                 spec: AgentRunSpec(repository: "acme/shop", issue: 7, stage: .dev))
    }

    @Test func pendingFromBeginUntilTheCacheSeesTheRun() {
        let own = OwnCreates()
        own.begin(name: "a", key: key)
        #expect(own.pending(key) == "a", "in flight counts")
        #expect(own.pending(other) == nil)
        own.finish(name: "a", created: true)
        #expect(own.pending(key) == "a", "created, not yet in the cache")
        own.observe(.apply(run("b")))
        #expect(own.pending(key) == "a", "another run's event changes nothing")
        own.observe(.apply(run("a")))
        #expect(own.pending(key) == nil && own.count == 0)
    }

    @Test func aFailedCreateLeavesNothing() {
        let own = OwnCreates()
        own.begin(name: "a", key: key)
        own.finish(name: "a", created: false)
        #expect(own.pending(key) == nil && own.count == 0)
    }

    /// The watch event can arrive before the create's answer: the entry is not brought back.
    @Test func anEventBeforeTheAnswerIsNotUndone() {
        let own = OwnCreates()
        own.begin(name: "a", key: key)
        own.observe(.apply(run("a")))
        own.finish(name: "a", created: true)
        #expect(own.pending(key) == nil && own.count == 0)
    }

    /// A run created and deleted while the watch was down never shows up as an event; the next
    /// relist that started after the create finished ends the entry — one that started before
    /// (and may not include the run) does not.
    @Test func aRelistStartedAfterTheCreateEndsTheEntry() {
        let own = OwnCreates()
        own.observe(.initStarted)
        own.begin(name: "a", key: key)
        own.finish(name: "a", created: true)
        own.observe(.initPage([]))
        own.observe(.initDone)
        #expect(own.pending(key) == "a", "that list may have been read before the create")
        own.observe(.initStarted)
        own.observe(.initPage([]))
        own.observe(.initDone)
        #expect(own.pending(key) == nil && own.count == 0)
    }

    @Test func aCreateInFlightSurvivesARelist() {
        let own = OwnCreates()
        own.begin(name: "a", key: key)
        own.observe(.initStarted)
        own.observe(.initDone)
        #expect(own.pending(key) == "a")
    }
}
