import KubeAPI
import KubeClient
import Runs
import Testing
@testable import Operator

/// `JSONSkipPlan`: scanning with a plan never changes whether a document parses or the error it
/// fails with, and the plans of the models (`TapeDecodable.skipPlan`, applied by
/// `JSONBytesDecoder` and `WatchEventDecoder`) never change a decoded value or error. The value
/// level — every model, single and random faults at every position, managedFields and spec
/// included — is `TapeDecodingDifferentialTests` and `WatchEventTapeDecodingTests` (their
/// references decode through `Codable`, which scans everything); here the byte level: each
/// document corrupted at every byte (cut short, a byte removed, replaced or inserted) parses to
/// the same error with and without the plan, at every nesting limit.
@Suite struct SkipPlanTests {
    typealias F = TapeFixtures

    /// Records and documents with what the plans skip (managedFields, a spec-less form's spec)
    /// and the plan each is read with.
    static let cases: [(name: String, text: String, plan: JSONSkipPlan)] = [
        ("job event", #"{"type":"MODIFIED","object":\#(F.job)}"#, WatchEventDecoder<SpeclessJob>().plan!),
        ("pod event", #"{"type":"ADDED","object":\#(F.pod)}"#, WatchEventDecoder<SpeclessPod>().plan!),
        ("agent run event", #"{"type":"MODIFIED","object":\#(F.agentRun)}"#, WatchEventDecoder<AgentRun>().plan!),
        ("job", F.job, SpeclessJob.skipPlan!),
        ("run namespace", F.runNamespace, RunNamespace.skipPlan!),
    ]

    /// What a parse gave: the error, or success.
    static func parse(_ bytes: [UInt8], maxDepth: Int = 512, _ plan: JSONSkipPlan?) -> JSONParseError? {
        do {
            _ = try JSONTape(parsing: bytes, maxDepth: maxDepth, skipping: plan)
            return nil
        } catch {
            return error
        }
    }

    /// Bytes put in place of (and before) each byte: every structural character, the starts of
    /// every scalar, a control character, an escape and non-ASCII.
    static let replacements: [UInt8] = Array(#"{}[]:,"\ tfn-0e.x"#.utf8) + [0x01, 0x0A, 0xC3]

    @Test func corruptedAtEveryByteTheSameErrorWithAndWithoutThePlan() {
        for c in Self.cases.prefix(3) {  // the events; the bare documents are parts of them
            let bytes = Array(c.text.utf8)
            #expect(Self.parse(bytes, c.plan) == nil, "\(c.name) parses")
            var variants: [[UInt8]] = []
            for i in 0..<bytes.count {
                variants.append(Array(bytes[..<i]))
                var removed = bytes
                removed.remove(at: i)
                variants.append(removed)
                for r in Self.replacements where r != bytes[i] {
                    var replaced = bytes
                    replaced[i] = r
                    variants.append(replaced)
                }
                for r in [UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: ",")] {
                    var inserted = bytes
                    inserted.insert(r, at: i)
                    variants.append(inserted)
                }
            }
            var differ = 0
            for v in variants where Self.parse(v, nil) != Self.parse(v, c.plan) {
                differ += 1
                if differ <= 3 {
                    Issue.record("\(c.name): \(String(decoding: v, as: UTF8.self)) — without the plan \(String(describing: Self.parse(v, nil))), with it \(String(describing: Self.parse(v, c.plan)))")
                }
            }
            #expect(differ == 0, "\(c.name): \(differ) of \(variants.count) variants parse differently")
        }
    }

    /// The nesting limit counts skipped levels as scanned ones: the same error at every limit.
    @Test func theNestingLimitIsTheSame() {
        for c in Self.cases {
            let bytes = Array(c.text.utf8)
            for depth in 0...12 {
                #expect(Self.parse(bytes, maxDepth: depth, nil) == Self.parse(bytes, maxDepth: depth, c.plan), "\(c.name) at \(depth)")
            }
        }
    }

    /// Deep nesting inside a skipped member (managedFields' fieldsV1 is a tree) fails as before.
    @Test func deepNestingInsideASkippedMember() {
        let deep = String(repeating: #"{"f:a":"#, count: 600) + "{}" + String(repeating: "}", count: 600)
        let record = #"{"type":"ADDED","object":{"metadata":{"name":"n","managedFields":[{"fieldsV1":\#(deep)}]},"spec":\#(deep)}}"#
        let bytes = Array(record.utf8)
        let plan = WatchEventDecoder<SpeclessJob>().plan!
        #expect(Self.parse(bytes, nil) != nil)
        #expect(Self.parse(bytes, nil) == Self.parse(bytes, plan))
    }

    /// The tape with the plan: skipped members are one `.skipped` token each; everything else is
    /// the same as without it (rebuilt as `JSONValue`, skipped members reading as `null`).
    @Test func onlyTheSkippedMembersDiffer() throws {
        let record = Array(#"{"type":"MODIFIED","object":\#(F.job)}"#.utf8)
        let plan = WatchEventDecoder<SpeclessJob>().plan!
        let full = try JSONTape(parsing: record).withView { $0.value(at: 0) }
        let planned = try JSONTape(parsing: record, skipping: plan)
        let skipped = planned.tokens.filter { if case .skipped = $0.kind { true } else { false } }
        #expect(skipped.count == 2)
        var expected = full
        expected.set(path: ["object", "spec"], to: .null)
        expected.set(path: ["object", "metadata", "managedFields"], to: .null)
        #expect(planned.withView { $0.value(at: 0) } == expected)
        #expect(planned.tokens.count < (try JSONTape(parsing: record)).tokens.count)
    }

    /// The differential tests would see a plan that skips what a decoder reads: skipping `status`
    /// of a Job fails its decoding (a `.skipped` token is no object).
    @Test func aPlanSkippingWhatIsReadChangesTheValue() throws {
        let bytes = Array(F.job.utf8)
        let right = try JSONTape(parsing: bytes, skipping: SpeclessJob.skipPlan).decode(SpeclessJob.self)
        let wrong = try? JSONTape(parsing: bytes, skipping: .kubeObject(skipping: ["spec", "status"])).decode(SpeclessJob.self)
        #expect(right.status != nil)
        #expect(wrong == nil)
    }
}

/// Watch records of spec-less Jobs and Pods with the record's plan (`object`: managedFields and
/// spec skipped) against `Codable` (everything scanned): every single fault of the object, the
/// same event or the same error.
@Suite struct SkipPlanWatchTests {
    typealias F = TapeFixtures

    /// An event reduced to something comparable (values, not their descriptions: dictionaries print
    /// in hash order), or the error's text with the `CodingKey` type names left out.
    enum Seen: Equatable {
        case object(Job), bookmark(ObjectMeta), errorEvent, failure(String)
    }

    static func outcome<T: Decodable & Sendable>(_ type: T.Type, _ bytes: [UInt8], _ whole: (T) -> Job) -> Seen {
        do {
            switch try WatchEventDecoder<T>().decode(bytes) {
            case .added(let o), .modified(let o), .deleted(let o): return .object(whole(o))
            case .bookmark(let m): return .bookmark(m)
            case .error: return .errorEvent
            }
        } catch {
            var text = "\(error)"
            text.replace(/\w+\(stringValue:/, with: "Key(stringValue:")
            return .failure(text)
        }
    }

    @Test func speclessJobEventsDecodeAsThroughCodable() {
        let objects = [F.job] + TapeDifferential.singleFaults(F.job).map(\.text)
        for object in objects {
            for type in ["MODIFIED", "BOOKMARK", "ERROR"] {
                let bytes = Array(#"{"type":"\#(type)","object":\#(object)}"#.utf8)
                let planned = Self.outcome(SpeclessJob.self, bytes) { $0.whole }
                let reference = Self.outcome(ViaCodable<SpeclessJob>.self, bytes) { $0.value.whole }
                #expect(planned == reference, "\(object)")
            }
        }
    }
}
