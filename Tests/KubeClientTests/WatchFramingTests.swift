import KubeAPI
import Testing
import TestSupport
@testable import KubeClient

@Suite struct WatchFramingTests {
    static func randomEvent(_ rng: inout SplitMix, index: Int) -> JSONValue {
        let types: [JSONValue] = ["ADDED", "MODIFIED", "DELETED"]
        let text = String((0..<Int.random(in: 0...300, using: &rng)).map { _ in
            "abc xyz\n\t\"\\é{}[]".randomElement(using: &rng)!
        })
        return ["type": types[index % 3], "object": [
            "metadata": ["name": .string("obj-\(index)"), "resourceVersion": .string("\(index)"),
                         "labels": ["k": .string(text)]],
            "data": .array((0..<Int.random(in: 0...5, using: &rng)).map { .int(Int64($0)) }),
        ]]
    }

    @Test(arguments: 0..<40)
    func anySplitYieldsTheSameEvents(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed) &* 7919)
        let events = (0..<Int.random(in: 1...30, using: &rng)).map { Self.randomEvent(&rng, index: $0) }
        var stream: [UInt8] = []
        for e in events {
            stream += e.serialized()
            stream += Bool.random(using: &rng) ? [10] : [13, 10]
            if Int.random(in: 0..<5, using: &rng) == 0 { stream += [10] }  // blank line
        }
        var framer = LineFramer()
        var records: [[UInt8]] = []
        var i = 0
        while i < stream.count {
            let n = Int.random(in: 1...max(1, stream.count / 3), using: &rng)
            let chunk = Array(stream[i..<min(stream.count, i + n)])
            try framer.append(chunk) { records.append($0) }
            i += n
        }
        if let rest = framer.finish() { records.append(rest) }
        let decoded = try records.map { try WatchEventDecoder<JSONValue>().decode($0) }
        #expect(decoded.count == events.count)
        for (d, e) in zip(decoded, events) {
            guard case .added(let o) = d, e["type"] == "ADDED" else {
                if case .modified(let o) = d { #expect(o == e["object"]) }
                if case .deleted(let o) = d { #expect(o == e["object"]) }
                continue
            }
            #expect(o == e["object"])
        }
    }

    @Test func byteAtATimeAndOneChunkAgree() throws {
        let text = Array(#"{"type":"ADDED","object":{"a":1}}"#.utf8) + [10] + Array(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#.utf8) + [10]
        var one = LineFramer(), bytes = LineFramer()
        var a: [[UInt8]] = [], b: [[UInt8]] = []
        try one.append(text) { a.append($0) }
        for byte in text { try bytes.append([byte]) { b.append($0) } }
        #expect(a == b && a.count == 2)
        guard case .bookmark(let meta) = try WatchEventDecoder<JSONValue>().decode(a[1]) else { Issue.record("bookmark"); return }
        #expect(meta.resourceVersion == "9")
    }

    @Test func multiMegabyteRecord() throws {
        let big = String(repeating: "x", count: 5 << 20)
        let line = Array(#"{"type":"MODIFIED","object":{"blob":"\#(big)"}}"#.utf8) + [10]
        var framer = LineFramer()
        var records: [[UInt8]] = []
        var i = 0
        while i < line.count {
            try framer.append(Array(line[i..<min(line.count, i + 16384)])) { records.append($0) }
            i += 16384
        }
        #expect(records.count == 1)
        guard case .modified(let o) = try WatchEventDecoder<JSONValue>().decode(records[0]) else { Issue.record("event"); return }
        #expect(o["blob"]?.stringValue?.count == 5 << 20)
    }

    @Test func recordLimitIsEnforced() {
        var framer = LineFramer(maxRecordBytes: 10)
        #expect(throws: LineFramer.RecordTooLarge.self) { try framer.append(Array(repeating: 65, count: 11)) { _ in } }
    }

    @Test func errorEventsBecomeTypedErrors() {
        let gone = Array(#"{"type":"ERROR","object":{"kind":"Status","status":"Failure","reason":"Expired","code":410,"message":"too old resource version"}}"#.utf8)
        #expect(throws: KubeError.gone(message: "too old resource version")) { try WatchEventDecoder<JSONValue>().decode(gone) }
        let other = Array(#"{"type":"ERROR","object":{"kind":"Status","reason":"InternalError","code":500,"message":"x"}}"#.utf8)
        #expect(throws: KubeError.server(code: 500, reason: "InternalError", message: "x")) { try WatchEventDecoder<JSONValue>().decode(other) }
    }

    /// Ending a watch drops its unfinished record too (up to the size limit), not only the framed
    /// records waiting for the flush: nothing of it stays until the stream's closures go.
    @Test func endingAWatchDropsItsUnfinishedRecord() throws {
        var framing = WatchFraming(framer: LineFramer(maxRecordBytes: 1 << 20))
        let bytes = Array(#"{"type":"ADDED"}"#.utf8) + [10] + Array(repeating: UInt8(ascii: "x"), count: 4096)
        bytes.withUnsafeBytes { _ = framing.append($0) }
        let first = framing.end()
        #expect(first)
        let taken = framing.take()
        #expect(taken.isEmpty)
        var left = framing.framer
        #expect(left.finish() == nil, "the unfinished record was kept after the end")
        #expect(framing.framer.maxRecordBytes == 1 << 20)
        let second = framing.end()
        #expect(!second, "the end is reported once")
    }
}
