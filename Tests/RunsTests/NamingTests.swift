import Runs
import TestSupport
import Testing

/// SPEC §4/§6 names: DNS-1123 labels, ≤ 63, stable, distinct.
@Suite struct NamingTests {
    @Test func agentRunNameFromDelivery() {
        let name = RunNames.agentRun(repository: "acme/shop", issue: 42, stage: .dev, revise: false,
                                     deliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958")
        #expect(name.hasPrefix("acme-shop-42-dev-"))
        #expect(name.count == "acme-shop-42-dev-".count + 10)
        #expect(name == RunNames.agentRun(repository: "Acme/Shop", issue: 42, stage: .dev, revise: false,
                                           deliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958"), "stable, case-insensitive repo")
        let revise = RunNames.agentRun(repository: "acme/shop", issue: 42, stage: .dev, revise: true, deliveryID: "d")
        #expect(revise.hasPrefix("acme-shop-42-dev-r-"))
        #expect(RunNames.agentRun(repository: "acme/shop", issue: 42, stage: .dev, revise: false, deliveryID: "other") != name)
    }

    @Test func knownDigest() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        #expect(RunNames.agentRun(repository: "a/b", issue: 1, stage: .qa, revise: false, deliveryID: "abc") == "a-b-1-qa-ba7816bf8f")
    }

    @Test func namespaceName() {
        let ns = RunNames.namespace(prefix: "codex", repository: "acme/shop", issue: 42, stage: .dev, nonce: "run-1")
        #expect(ns.hasPrefix("codex-acme-shop-42-dev-"))
        #expect(ns.count == "codex-acme-shop-42-dev-".count + 6)
        #expect(RunNames.isDNSLabel(ns))
        #expect(ns == RunNames.namespace(prefix: "codex", repository: "acme/shop", issue: 42, stage: .dev, nonce: "run-1"))
        #expect(ns != RunNames.namespace(prefix: "codex", repository: "acme/shop", issue: 42, stage: .dev, nonce: "run-2"))
    }

    @Test func lossySlugsCarryTheRepositoryHash() {
        let a = RunNames.namespace(prefix: "codex", repository: "my-org/x", issue: 1, stage: .dev, nonce: "n")
        let b = RunNames.namespace(prefix: "codex", repository: "my/org-x", issue: 1, stage: .dev, nonce: "n")
        #expect(a != b)
        #expect(a.hasPrefix("codex-my-org-x-"))
        let dotted = RunNames.namespace(prefix: "codex", repository: "acme/shop.api", issue: 1, stage: .dev, nonce: "n")
        let underscored = RunNames.namespace(prefix: "codex", repository: "acme/shop_api", issue: 1, stage: .dev, nonce: "n")
        #expect(dotted != underscored)
        #expect(dotted.count <= 63 && underscored.count <= 63)
    }

    @Test func extremesStayValid() {
        let long = String(repeating: "x", count: 39) + "/" + String(repeating: "y", count: 100)
        for prefix in ["c", "codex", String(repeating: "p", count: OperatorConfig.maxNamespacePrefixLength)] {
            for issue: Int64 in [1, 42, Int64.max] {
                for stage in Stage.allCases {
                    let ns = RunNames.namespace(prefix: prefix, repository: long, issue: issue, stage: stage, nonce: "n")
                    #expect(RunNames.isDNSLabel(ns), "\(ns)")
                    let ar = RunNames.agentRun(repository: long, issue: issue, stage: stage, revise: stage.allowsRevise, deliveryID: "d")
                    #expect(RunNames.isDNSLabel(ar), "\(ar)")
                }
            }
        }
    }

    static func randomRepository(_ rng: inout SplitMix) -> String {
        let alphabets: [[Character]] = [Array("abcdefghijklmnopqrstuvwxyz0123456789"), Array("ABC-._xyz"), Array("ünïcødé日本語🚀"),
                                        Array("a-")]
        func part(_ n: Int) -> String {
            String((0..<n).map { _ in alphabets.randomElement(using: &rng)!.randomElement(using: &rng)! })
        }
        return part(Int.random(in: 1...39, using: &rng)) + "/" + part(Int.random(in: 1...100, using: &rng))
    }

    @Test func randomLongAndUnicodeRepositoriesGiveValidDistinctNames() {
        var rng = SplitMix(seed: 0x5EED)
        var namespaces: [String: String] = [:]
        var runs: [String: String] = [:]
        for _ in 0..<5000 {
            let repo = Self.randomRepository(&rng)
            let key = repo.lowercased()
            let issue = Int64.random(in: 1...99_999, using: &rng)
            let ns = RunNames.namespace(prefix: "codex", repository: repo, issue: 7, stage: .dev, nonce: "same")
            #expect(RunNames.isDNSLabel(ns), "\(repo) -> \(ns)")
            if let other = namespaces[ns] { #expect(other == key, "\(repo) and \(other) share \(ns)") }
            namespaces[ns] = key
            let ar = RunNames.agentRun(repository: repo, issue: issue, stage: .qa, revise: true, deliveryID: "same-delivery")
            #expect(RunNames.isDNSLabel(ar), "\(repo) -> \(ar)")
            if let other = runs[ar] { #expect(other == "\(key)#\(issue)") }
            runs[ar] = "\(key)#\(issue)"
        }
    }
}
