import Foundation
import KubeAPI
import Logging
import Testing
@testable import KubeRuntime

@Suite struct JSONLogHandlerTests {
    @Test func writesOneJSONObjectPerLineWithMetadataAndRedaction() throws {
        let lines = Locked<[String]>([])
        var logger = Logger(label: "codex.test") { label in
            JSONLogHandler(label: label, level: .debug, output: { line in lines.withLock { $0.append(line) } })
        }
        logger[metadataKey: "controller"] = "agentruns"
        logger.info("reconciled \"a\"\nnext", metadata: ["key": "ns/a", "bearerToken": "s3cr3t",
                                                        "message": "clash", "nested": ["password": "x", "n": "1"]])
        logger.trace("invisible")
        #expect(lines.value.count == 1)
        let line = try #require(lines.value.first)
        #expect(!line.contains("\n") && !line.contains("s3cr3t") && !line.contains("\"x\""))
        let json = try JSONValue(parsing: Array(line.utf8))
        #expect(json["level"]?.stringValue == "info")
        #expect(json["logger"]?.stringValue == "codex.test")
        #expect(json["message"]?.stringValue == "reconciled \"a\"\nnext")
        #expect(json["controller"]?.stringValue == "agentruns")
        #expect(json["key"]?.stringValue == "ns/a")
        #expect(json["bearerToken"]?.stringValue == "[REDACTED]")
        #expect(json["meta.message"]?.stringValue == "clash")
        #expect(json["nested"]?["password"]?.stringValue == "[REDACTED]")
        #expect(KubeTime(rfc3339: json["time"]?.stringValue ?? "") != nil)
    }

    /// Handler, provider and per-call metadata merge with the later winning, whichever are empty
    /// or absent (the handler skips the copy when only one is non-empty).
    @Test func metadataFromEverySourceMergesLaterWinning() throws {
        let sources: [Logger.Metadata?] = [nil, [:], ["a": "1", "shared": "x", "message": "m"]]
        var checked = 0
        for handler in sources {
            for provided in sources {
                for explicit in sources {
                    let lines = Locked<[String]>([])
                    let provider = provided.map { p in Logger.MetadataProvider { p.mapValues { _ in "p" } } }
                    var logger = Logger(label: "codex.test") { label in
                        JSONLogHandler(label: label, metadataProvider: provider,
                                       output: { line in lines.withLock { $0.append(line) } })
                    }
                    for (key, value) in handler ?? [:] { logger[metadataKey: key] = value }
                    var explicitValues = explicit?.mapValues { _ in Logger.MetadataValue.string("e") }
                    explicitValues?["only"] = explicit == nil ? nil : "e"
                    logger.info("hi", metadata: explicitValues)
                    var expected: Logger.Metadata = handler ?? [:]
                    expected.merge(provided?.mapValues { _ in "p" } ?? [:]) { _, new in new }
                    expected.merge(explicitValues ?? [:]) { _, new in new }
                    var got = try JSONValue(parsing: Array(try #require(lines.value.count == 1 ? lines.value.first : nil).utf8))
                    var want = try JSONValue(parsing: Array(JSONLogHandler.line(
                        time: Date(), level: .info, label: "codex.test", message: "hi", metadata: expected).utf8))
                    got["time"] = nil
                    want["time"] = nil
                    #expect(got == want, "handler \(String(describing: handler)) provided \(String(describing: provided)) explicit \(String(describing: explicit))")
                    checked += 1
                }
            }
        }
        #expect(checked == 27)
    }
}
