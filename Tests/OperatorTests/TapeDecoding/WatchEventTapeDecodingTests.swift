import KubeAPI
import KubeClient
import Runs
import Testing

/// `WatchEventDecoder` for a `TapeDecodable` object (the envelope and the object read from the
/// tape) against the same records decoded through `Codable` (`ViaCodable<Object>` is not
/// `TapeDecodable`): the same events, and the same errors up to the name of the `CodingKey` type.
@Suite struct WatchEventTapeDecodingTests {
    typealias F = TapeFixtures

    /// An event reduced to something comparable: its type and the object (or bookmark metadata).
    struct Seen: Equatable {
        var type: String
        var object: AgentRun?
        var bookmark: ObjectMeta?
    }

    static func seen(_ e: WatchEvent<AgentRun>) -> Seen {
        switch e {
        case .added(let o), .modified(let o), .deleted(let o): Seen(type: e.type, object: o)
        case .bookmark(let m): Seen(type: e.type, bookmark: m)
        case .error: Seen(type: e.type)
        }
    }

    static func seen(_ e: WatchEvent<ViaCodable<AgentRun>>) -> Seen {
        switch e {
        case .added(let o), .modified(let o), .deleted(let o): Seen(type: e.type, object: o.value)
        case .bookmark(let m): Seen(type: e.type, bookmark: m)
        case .error: Seen(type: e.type)
        }
    }

    /// The result, with errors' `CodingKey` type names (`CodingKeys`, `Keys`, `TapeKey`) left out.
    static func outcome(_ body: () throws(KubeError) -> Seen) -> Outcome<Seen> {
        do {
            return .value(try body())
        } catch {
            var text = "\(error)"
            text.replace(/\w+\(stringValue:/, with: "Key(stringValue:")
            return .failure(text)
        }
    }

    static func compare(_ record: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(record.utf8)
        let tape = outcome { () throws(KubeError) in seen(try WatchEventDecoder<AgentRun>().decode(bytes)) }
        let reference = outcome { () throws(KubeError) in seen(try WatchEventDecoder<ViaCodable<AgentRun>>().decode(bytes)) }
        #expect(tape == reference, "\(record)", sourceLocation: sourceLocation)
    }

    @Test func eventsOfEveryTypeDecodeAsThroughCodable() {
        for type in ["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR", "SURPRISE"] {
            for object in [F.agentRun, F.agentRunMinimal, F.status, #"{"metadata":{"resourceVersion":"5"}}"#, "{}", "null", "7", "[]"] {
                Self.compare(#"{"type":"\#(type)","object":\#(object)}"#)
                Self.compare(#"{"object":\#(object),"type":"\#(type)","type":"ADDED"}"#)
            }
            Self.compare(#"{"type":"\#(type)"}"#)
        }
        for record in ["{}", "[]", "null", #"{"type":7}"#, #"{"type":null,"object":{}}"#, #"{"type":"ADDED","object":"#, ""] {
            Self.compare(record)
        }
    }

    /// Every single fault of the object inside an ADDED event, and random faults.
    @Test func faultyObjectsFailAsThroughCodable() {
        let faults = TapeDifferential.singleFaults(F.agentRun) + TapeDifferential.randomFaults(F.agentRun, count: 200, seed: 21)
        for doc in faults { Self.compare(#"{"type":"MODIFIED","object":\#(doc.text)}"#) }
        for doc in TapeDifferential.singleFaults(F.status) { Self.compare(#"{"type":"ERROR","object":\#(doc.text)}"#) }
    }
}

/// Which path the decoders take: `init(tape:)` for a `TapeDecodable` type at the top of a
/// document or as a watch event's object, `init(from:)` for everything else (and below it).
@Suite struct TapeDecodingDispatchTests {
    struct Probe: TapeDecodable, Encodable, Sendable, Equatable {
        var via: String
        init(from decoder: any Decoder) throws { via = "codable" }
        init(tape: TapeValue) throws { via = "tape" }
        func encode(to encoder: any Encoder) throws {}
    }

    struct Holder: Decodable, Sendable { var probe: Probe }

    @Test func conformingTypesAreDecodedFromTheTape() throws {
        #expect(try JSONBytesDecoder().decode(Probe.self, from: Array("{}".utf8)).via == "tape")
        #expect(try JSONBytesDecoder().decode(Holder.self, from: Array(#"{"probe":{}}"#.utf8)).probe.via == "codable")
        // A LIST page of a conforming kind (`KubeList` conforms when its items do).
        #expect(try JSONBytesDecoder().decode(KubeList<Probe>.self, from: Array(#"{"items":[{}]}"#.utf8)).items.map(\.via) == ["tape"])
        guard case .added(let p) = try WatchEventDecoder<Probe>().decode(Array(#"{"type":"ADDED","object":{}}"#.utf8)) else {
            Issue.record("not an ADDED event")
            return
        }
        #expect(p.via == "tape")
        guard case .added(let h) = try WatchEventDecoder<Holder>().decode(Array(#"{"type":"ADDED","object":{"probe":{}}}"#.utf8)) else {
            Issue.record("not an ADDED event")
            return
        }
        #expect(h.probe.via == "codable")
    }
}
