import Foundation
import KubeAPI
import Runs
import Testing
import Webhook

/// Random bytes and mutated real payloads: only ever 2xx/4xx, never a crash, never a run from an
/// unsigned body. Seeded, so a failure reproduces.
@Suite struct WebhookFuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [JSONValue] = [
        GitHubPayloads.issues("labeled", label: "run:dev", labels: ["run:dev", "run:debug", "[ai-model-o3]"]),
        GitHubPayloads.issues("unlabeled", label: "run:dev"),
        GitHubPayloads.issues("closed"),
        GitHubPayloads.pullRequestEvent("labeled", label: "run:qa", body: "fixes #3"),
        GitHubPayloads.pullRequestEvent("closed", body: "fixes #3"),
        GitHubPayloads.review(state: "changes_requested", labels: ["run:dev"]),
        GitHubPayloads.ping(),
    ]
    static let events = ["issues", "issues", "issues", "pull_request", "pull_request", "pull_request_review", "ping"]

    static func randomValue(_ rng: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: -5...100, using: &rng))
        case 3: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 4: return .double(Double.random(in: -1e20...1e20, using: &rng))
        case 5: return .string(["run:dev", "run:dev:revise", "run:rethink:revise", "", "User", "Bot", "acme/shop", "a/../b", "x"].randomElement(using: &rng)!)
        case 6: return .array([.string("run:qa"), ["name": "run:dev"], .null])
        case 7: return ["name": .int(3)]
        default: return .string(String(repeating: "ü", count: Int.random(in: 0...300, using: &rng)))
        }
    }

    /// Every path of object keys in `v`.
    static func paths(_ v: JSONValue, _ prefix: [String] = []) -> [[String]] {
        guard let o = v.objectValue else { return [] }
        return o.flatMap { k, child in [prefix + [k]] + paths(child, prefix + [k]) }
    }

    static func mutate(_ seed: JSONValue, _ rng: inout SplitMix64) -> [UInt8] {
        var v = seed
        let all = paths(v)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let path = all.randomElement(using: &rng)!
            v.set(path: path, to: Bool.random(using: &rng) ? randomValue(&rng) : nil)
        }
        var bytes = v.serialized()
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: break
        case 1: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
        case 2:
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        default:
            let i = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: [UInt8]("{\"[".utf8).shuffled(using: &rng), at: i)
        }
        return bytes
    }

    @Test func fuzzedDeliveriesGetOnly2xxOr4xxAndUnsignedOnesNeverMakeARun() async throws {
        try await WebhookHarness.with { h in
            var rng = SplitMix64(state: 0xC0DE_C0DE)
            var signedIDs: Set<String> = []
            var codes: [Int: Int] = [:]
            let secret = Array(WebhookHarness.secret.utf8)
            for i in 0..<3000 {
                let kind = i % 3
                let which = Int.random(in: 0..<Self.seeds.count, using: &rng)
                let body: [UInt8] = kind == 0
                    ? (0..<Int.random(in: 0...2048, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    : Self.mutate(Self.seeds[which], &rng)
                let signed = kind != 2
                let id = "fuzz-\(i)"
                let signature = signed ? HubSignature.header(secret: secret, body: body)
                    : (Bool.random(using: &rng) ? HubSignature.header(secret: Array("wrong".utf8), body: body) : nil)
                let event = Bool.random(using: &rng) ? Self.events[which] : ["issues", "push", "", "pull_request_review", "\u{1}"].randomElement(using: &rng)!
                let request = WebhookRequest(contentType: ["application/json", "application/x-www-form-urlencoded", "text/plain"].randomElement(using: &rng),
                                             event: event, deliveryID: id, signature: signature, body: body)
                // Most cases go straight to the adapter; every 10th over HTTP.
                let code: Int
                if i % 10 == 0 {
                    var headers = ["X-GitHub-Event": event, "X-GitHub-Delivery": id]
                    if let t = request.contentType { headers["Content-Type"] = t }
                    if let signature { headers["X-Hub-Signature-256"] = signature }
                    code = try await h.post(headers: headers, body: body).code
                } else {
                    code = await h.service.adapter.handle(request).code
                }
                codes[code, default: 0] += 1
                #expect((200..<300).contains(code) || (400..<500).contains(code), "case \(i): \(code)")
                if !signed { #expect(code == 401 || code == 415 || code == 400, "unsigned case \(i) answered \(code)") }
                if signed { signedIDs.insert(id) }
            }
            let runs = try await h.runs()
            #expect(runs.allSatisfy { signedIDs.contains($0.spec.trigger?.deliveryID ?? "") })
            #expect(codes[202, default: 0] >= 1, "the fuzz never reached run creation: \(codes)")
        }
    }
}
