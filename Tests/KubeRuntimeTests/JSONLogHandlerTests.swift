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
}
