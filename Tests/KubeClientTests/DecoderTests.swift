import KubeAPI
import Testing
@testable import KubeClient

@Suite struct DecoderTests {
    static let job = #"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"ns","generation":3,
         "creationTimestamp":"2026-11-21T20:00:00Z","labels":{"a":"1","esc\"aped":"v\u00e9"}},
         "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","volumes":[{"name":"v","emptyDir":{}}],
         "containers":[{"name":"c","image":"i","env":[{"name":"T","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}],
         "securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}},
         "status":{"active":1,"conditions":[{"type":"Complete","status":"True","lastTransitionTime":"2026-11-21T20:01:00.5Z"}]}}
        """#

    @Test func bytesAndValueDecodersAgree() throws {
        let bytes = Array(Self.job.utf8)
        let fromBytes = try JSONBytesDecoder().decode(Job.self, from: bytes)
        let fromValue = try JSONValueDecoder().decode(Job.self, from: try JSONValue(parsing: bytes))
        #expect(fromBytes.metadata == fromValue.metadata)
        #expect(fromBytes.metadata.labels?["esc\"aped"] == "vé")
        #expect(fromBytes.spec?.template.spec.containers[0].env?[0].valueFrom?.secretKeyRef?.key == "k")
        #expect(fromBytes.spec?.template.spec.volumes == [["name": "v", "emptyDir": [:]]])
        #expect(fromBytes.status?.conditions?[0].lastTransitionTime == fromValue.status?.conditions?[0].lastTransitionTime)
        #expect(try JSONCoding.encode(fromBytes) == JSONCoding.encode(fromValue))
    }

    @Test func errorsCarryTheCodingPath() {
        let bad = Array(#"{"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":5}]}}}}"#.utf8)
        #expect {
            _ = try JSONBytesDecoder().decode(Job.self, from: bad)
        } throws: { error in
            guard case .typeMismatch(_, let context) = error as? DecodingError else { return false }
            return context.codingPath.map(\.stringValue) == ["spec", "template", "spec", "containers", "0", "name"]
        }
    }

    @Test(arguments: [#"{"a":1,}"#, #"{"a":01}"#, #"["\x"]"#, #"{"a":"\ud800"}"#, "[1] 2", #"{"a":tru}"#, "\"\u{01}\""])
    func invalidJSONIsRejected(_ text: String) {
        // One grammar (KubeAPI's `JSONTapeScanner`): both paths report the same offset and reason.
        var parseError: JSONParseError?
        do { _ = try JSONValue(parsing: text) } catch { parseError = error }
        #expect(parseError != nil)
        #expect {
            _ = try JSONBytesDecoder().decode(JSONValue.self, from: Array(text.utf8))
        } throws: { error in
            guard case .dataCorrupted(let context) = error as? DecodingError else { return false }
            return context.codingPath.isEmpty && context.debugDescription == parseError?.description
        }
    }

    struct Named: Decodable, Equatable {
        var name: String
        var aMemberNameLongerThan16: Int?
    }

    @Test func membersAreFoundWhateverTheirLengthOrEscapes() throws {
        let decode = { (text: String) in try JSONBytesDecoder().decode(Named.self, from: Array(text.utf8)) }
        #expect(try decode(#"{"na\u006de":"x"}"#) == Named(name: "x"))
        #expect(try decode(#"{"b":1,"aMemberNameLongerThan16":2,"name":"y"}"#) == Named(name: "y", aMemberNameLongerThan16: 2))
        // A 20-byte name shares the length bucket of "name" (20 % 16 == 4): the scan must still compare.
        #expect(try decode(#"{"abcdefghijklmnopqrst":1,"name":"z"}"#) == Named(name: "z"))
        #expect {
            _ = try decode(#"{"nam":"x","names":"y"}"#)
        } throws: { error in
            guard case .keyNotFound(let key, _) = error as? DecodingError else { return false }
            return key.stringValue == "name"
        }
    }

    @Test func stringMapsKeepTheFirstOccurrenceOfAKey() throws {
        let decode = { (text: String) in try JSONBytesDecoder().decode([String: String].self, from: Array(text.utf8)) }
        #expect(try decode(#"{"a":"1","b":"2","a":"3"}"#) == ["a": "1", "b": "2"])
        #expect(try decode(#"{"a":"1","a":5}"#) == ["a": "1"])
        #expect(try decode(#"{"k\u0031":"v\n"}"#) == ["k1": "v\n"])
        #expect {
            _ = try decode(#"{"a":"1","b":5}"#)
        } throws: { error in
            guard case .typeMismatch(_, let context) = error as? DecodingError else { return false }
            return context.codingPath.map(\.stringValue) == ["b"]
        }
    }

    @Test func integersMustBeExact() throws {
        #expect(try JSONBytesDecoder().decode([String: Int32].self, from: Array(#"{"a":3}"#.utf8)) == ["a": 3])
        #expect(throws: DecodingError.self) { _ = try JSONBytesDecoder().decode([String: Int32].self, from: Array(#"{"a":3.5}"#.utf8)) }
        #expect(throws: DecodingError.self) { _ = try JSONBytesDecoder().decode([String: Int8].self, from: Array(#"{"a":300}"#.utf8)) }
    }

    /// Both decoders must report the same path (keys and array indices) for the same failure.
    static func pathsOf(_ text: String) -> (bytes: [String], value: [String], indices: [Int?]) {
        func path(_ body: () throws -> Job) -> [any CodingKey] {
            do { _ = try body() } catch let error as DecodingError {
                switch error {
                case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): return c.codingPath
                case .keyNotFound(let key, let c): return c.codingPath + [key]
                @unknown default: return []
                }
            } catch {}
            return []
        }
        let bytes = Array(text.utf8)
        let fromBytes = path { try JSONBytesDecoder().decode(Job.self, from: bytes) }
        let fromValue = path { try JSONValueDecoder().decode(Job.self, from: try JSONValue(parsing: bytes)) }
        return (fromBytes.map(\.stringValue), fromValue.map(\.stringValue), fromBytes.map(\.intValue))
    }

    @Test func missingKeyAndBadTimePathsMatchTheValueDecoder() {
        let missing = Self.pathsOf(#"{"metadata":{},"spec":{"template":{"spec":{"containers":[{"name":"a"},{"image":"i"}]}}}}"#)
        #expect(missing.bytes == ["spec", "template", "spec", "containers", "1", "name"])
        #expect(missing.bytes == missing.value)
        #expect(missing.indices[4] == 1)
        let time = Self.pathsOf(#"{"metadata":{"creationTimestamp":"yesterday"}}"#)
        #expect(time.bytes == ["metadata", "creationTimestamp"])
        #expect(time.bytes == time.value)
        let label = Self.pathsOf(#"{"metadata":{"labels":{"x":"1","a\"b":2}}}"#)
        #expect(label.bytes == ["metadata", "labels", "a\"b"])
        #expect(label.bytes == label.value)
    }

    /// A custom `init(from:)` that reads `codingPath` sees where it sits, also inside arrays.
    struct PathProbe: Decodable {
        var path: [String]
        init(from decoder: any Decoder) throws { path = decoder.codingPath.map(\.stringValue) }
    }

    @Test func codingPathIsAvailableToCustomDecoders() throws {
        let decoded = try JSONBytesDecoder().decode([String: [PathProbe]].self, from: Array(#"{"k":[1,{"x":[]}]}"#.utf8))
        #expect(decoded["k"]?.map(\.path) == [["k", "0"], ["k", "1"]])
    }
}
