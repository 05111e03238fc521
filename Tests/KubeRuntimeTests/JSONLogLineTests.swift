import Foundation
import KubeAPI
import Logging
import Testing
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

    @Test func sensitiveKeysAnyCaseAndAnyScript() {
        for key in ["token", "xTOKENx", "Password", "my_secret", "Authorization", "to\u{212A}en"] {
            #expect(JSONLogLine.isSensitive(key), "\(key)")
        }
        for key in ["", "tok", "pass", "secre", "author", "delivery", "größe"] {
            #expect(!JSONLogLine.isSensitive(key), "\(key)")
        }
    }
}
