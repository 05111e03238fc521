import Logging
import TestSupport
import Testing

/// `TestSupport.LogRecorder`, the log recorder of every test target (here: a target with swift-log).
struct LogRecorderTests {
    @Test func recordsKeepLevelMessageMergedMetadataAndARenderedLine() {
        let logs = LogRecorder()
        var logger = logs.logger
        logger[metadataKey: "run"] = "r1"
        logger[metadataKey: "both"] = "handler"
        logger.debug("first", metadata: ["both": "event", "a": "1"])
        logger.error("second")
        let records = logs.records
        #expect(records.map(\.level) == [.debug, .error])
        #expect(records.map(\.message) == ["first", "second"])
        #expect(records[0].metadata == ["run": "r1", "both": "event", "a": "1"], "the event's value wins")
        #expect(logs.all == ["debug first a=1 both=event run=r1", "error second both=handler run=r1"])
        #expect(logs.messages(at: .error) == ["second"])
    }

    @Test func theLoggerLogsAtTheRecordersLevelAndAbove() {
        let logs = LogRecorder(level: .warning)
        logs.logger.info("dropped")
        logs.logger.warning("kept")
        #expect(logs.all == ["warning kept "])
    }

    @Test(.timeLimit(.minutes(1))) func waitForReturnsOnceAMatchingRecordArrivesOrAtOnce() async {
        let logs = LogRecorder()
        logs.logger.info("early")
        await logs.waitFor { $0.message == "early" }
        let waiting = Task { await logs.waitFor { $0.message == "late" } }
        logs.logger.info("other")
        logs.logger.info("late")
        await waiting.value
        #expect(logs.records.count == 3)
    }
}
