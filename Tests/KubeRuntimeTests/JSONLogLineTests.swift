import Foundation
import KubeAPI
import Logging
import Testing
import TestSupport
@testable import KubeRuntime

/// `JSONLogLine` renders exactly what the handler's original way did: a `JSONValue` object of the
/// fixed fields and the metadata (renamed on collision, redacted by key), serialized with sorted keys.
@Suite struct JSONLogLineTests {
    /// The original rendering, kept here as the reference.
    static func reference(time: String, level: String, label: String, message: String, metadata: Logger.Metadata) -> [UInt8] {
        func sensitive(_ key: String) -> Bool {
            let k = key.lowercased()
            return ["token", "password", "secret", "authorization"].contains { k.contains($0) }
        }
        func json(_ value: Logger.MetadataValue) -> JSONValue {
            switch value {
            case .string(let s): .string(s)
            case .stringConvertible(let c): .string(c.description)
            case .array(let a): .array(a.map(json))
            case .dictionary(let d):
                .object(Dictionary(uniqueKeysWithValues: d.map { ($0.key, sensitive($0.key) ? .string("[REDACTED]") : json($0.value)) }))
            }
        }
        var object: [String: JSONValue] = ["time": .string(time), "level": .string(level), "logger": .string(label),
                                           "message": .string(message)]
        for (key, value) in metadata {
            let name = object[key] == nil ? key : "meta.\(key)"
            object[name] = sensitive(key) ? .string("[REDACTED]") : json(value)
        }
        return JSONValue.object(object).serialized(sortedKeys: true)
    }

    static let cases: [Logger.Metadata] = [
        [:],
        ["delivery": "d-1", "event": "issues", "status": .stringConvertible(202), "outcome": "accepted"],
        ["message": "clash", "time": "t", "level": "l", "logger": "x", "Zeta": "z", "alpha": "a"],
        ["bearerToken": "s3cr3t", "PASSWORD": "p", "client-Secret": "c", "proxyAuthorization": "a", "tok": "visible"],
        ["audit": .dictionary(["event": "webhook.received", "payload": .dictionary(["apiToken": "x", "n": "1",
                                                                                  "list": .array(["a", .dictionary(["secret": "s"])])])])],
        ["quote\"key": "line\nbreak\ttab\r\u{1}\u{1F}\\ \"q\" é 😀", "empty": "", "arr": .array([])],
        ["to\u{212A}en": "kelvin", "ÜberToken": "u", "größe": "1"],
    ]

    @Test(arguments: cases) func rendersWhatTheJSONValueWayRendered(_ metadata: Logger.Metadata) {
        let fast = JSONLogLine.render(time: "2026-12-05T03:00:00.000001Z", level: "info", label: "codex-k8s.webhook",
                                      message: "webhook \"delivery\"\n", metadata: metadata)
        let slow = Self.reference(time: "2026-12-05T03:00:00.000001Z", level: "info", label: "codex-k8s.webhook",
                                  message: "webhook \"delivery\"\n", metadata: metadata)
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: slow, as: UTF8.self))
    }

    /// Random metadata from keys chosen to collide (fixed names, `meta.` prefixes, renamed names),
    /// to be redacted (any case, at any depth, non-ASCII) or neither, nested up to three deep.
    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func randomMetadataRendersLikeTheReference(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let keys = ["time", "level", "logger", "message", "meta.time", "meta.meta.time", "meta.", "meta",
                    "metal", "event", "id", "payload", "audit", "run", "a", "Z", "", "é", "to\u{212A}en",
                    "xTokenx", "PASSWORDS", "Secret", "authorizatio", "authorization", "ta", "pat", "sec",
                    "autho", "Tok en", "tttoken", "aauthorization", "ppassword", "ssecret", "k\"q", "k\n"]
        func value(_ depth: Int) -> Logger.MetadataValue {
            switch Int.random(in: 0..<(depth < 3 ? 5 : 2), using: &rng) {
            case 0: .string(keys.randomElement(using: &rng)! + "\u{1}\"v")
            case 1: .stringConvertible(Int.random(in: -9...99, using: &rng))
            case 2: .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth + 1) })
            default:
                .dictionary(Dictionary((0..<Int.random(in: 0...5, using: &rng)).map { _ in
                    (keys.randomElement(using: &rng)!, value(depth + 1))
                }, uniquingKeysWith: { _, new in new }))
            }
        }
        for _ in 0..<400 {
            let metadata = Logger.Metadata((0..<Int.random(in: 0...7, using: &rng)).map { _ in
                (keys.randomElement(using: &rng)!, value(0))
            }, uniquingKeysWith: { _, new in new })
            let fast = JSONLogLine.render(time: "t", level: "debug", label: "l", message: "m\u{0}", metadata: metadata)
            let slow = Self.reference(time: "t", level: "debug", label: "l", message: "m\u{0}", metadata: metadata)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: slow, as: UTF8.self))
        }
        for key in keys {
            let k = key.lowercased()
            #expect(JSONLogLine.isSensitive(key) == ["token", "password", "secret", "authorization"].contains { k.contains($0) },
                    "\(key)")
        }
    }

    @Test func sensitiveKeysAnyCaseAndAnyScript() {
        for key in ["token", "xTOKENx", "Password", "my_secret", "Authorization", "to\u{212A}en"] {
            #expect(JSONLogLine.isSensitive(key), "\(key)")
        }
        for key in ["", "tok", "pass", "secre", "author", "delivery", "größe"] {
            #expect(!JSONLogLine.isSensitive(key), "\(key)")
        }
    }
}
