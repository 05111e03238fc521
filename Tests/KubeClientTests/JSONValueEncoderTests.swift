import Foundation
import KubeAPI
import Testing
@testable import KubeClient

/// `JSONValueEncoder` against Foundation's `JSONEncoder` (what it replaces on the write path):
/// the same JSON for Kubernetes objects and for the corner cases of `Encodable`.
@Suite struct JSONValueEncoderTests {
    /// Foundation's bytes parsed, and ours serialized then parsed (so `1` and `1.0` compare equal).
    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let foundation = try JSONValue(parsing: [UInt8](JSONEncoder().encode(value)))
        let ours = try JSONValue(parsing: JSONValueEncoder().encode(value).serialized())
        #expect(ours == foundation, sourceLocation: sourceLocation)
    }

    static func decoded<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONBytesDecoder().decode(type, from: Array(json.utf8))
    }

    @Test func kubernetesObjectsEncodeAsWithJSONEncoder() throws {
        try Self.expectSame(try Self.decoded(Job.self, DecoderTests.job))
        try Self.expectSame(try Self.decoded(NetworkPolicy.self, #"""
            {"metadata":{"name":"np","namespace":"n","labels":{"a":"b"}},"spec":{"podSelector":{},
             "policyTypes":["Ingress","Egress"],"egress":[{"ports":[{"protocol":"TCP","port":443},{"port":"dns"}],
             "to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["10.0.0.0/8"]}}]}]}}
            """#))
        try Self.expectSame(try Self.decoded(Secret.self, #"{"metadata":{"name":"s"},"type":"Opaque","data":{"k":"dg=="}}"#))
        try Self.expectSame(try Self.decoded(ResourceQuota.self, #"{"metadata":{"name":"q"},"spec":{"hard":{"cpu":"4","pods":"10"}}}"#))
        try Self.expectSame(try Self.decoded(Event.self, #"""
            {"metadata":{"name":"e","namespace":"n"},"eventTime":"2026-11-21T20:00:00.123456Z","reportingController":"c",
             "reportingInstance":"i","action":"A","reason":"R","type":"Normal","regarding":{"kind":"AgentRun","name":"r"},
             "series":{"count":2,"lastObservedTime":"2026-11-21T20:00:01.000001Z"}}
            """#))
        try Self.expectSame(try Self.decoded(Namespace.self, #"{"metadata":{"name":"ns","annotations":{"x":"y"}}}"#))
    }

    struct Corners: Encodable {
        var optionalNil: String? = nil
        var optionalSet: Int? = 7
        var doubles: [Double] = [1.5, -0.25, 1e-7]
        var integral: Double = 3
        var small: [Int8] = [-3, 4]
        var unsigned: [UInt64] = [0, UInt64(Int64.max)]
        var nested: [[String: [Bool]]] = [["a": [true, false]], [:]]
        var intKeys: [Int: String] = [1: "one", 2: "two"]
        var data = Data([0, 1, 2, 250])
        var url = URL(string: "https://example.com/a?b=c")!
        var raw: JSONValue = ["k": [1, "two", .null, 3.5]]
        var empty = Empty()
        var manual = Manual()

        struct Empty: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Manual: Encodable {
            enum K: String, CodingKey { case a, b, c }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encodeNil(forKey: .a)
                var inner = c.nestedContainer(keyedBy: K.self, forKey: .b)
                try inner.encode("x", forKey: .c)
                var list = c.nestedUnkeyedContainer(forKey: .c)
                try list.encode(1)
                var sub = list.nestedContainer(keyedBy: K.self)
                try sub.encode(true, forKey: .a)
                try list.encodeNil()
                #expect(list.count == 3)
            }
        }
    }

    @Test func cornersOfEncodableEncodeAsWithJSONEncoder() throws {
        try Self.expectSame(Corners())
        try Self.expectSame(["top": [1, 2, 3]])
        try Self.expectSame("just a string")
    }

    @Test func nonFiniteNumbersAreRefusedWithTheirPath() {
        struct Bad: Encodable { var values: [Double] = [1, .nan] }
        #expect {
            _ = try JSONValueEncoder().encode(Bad())
        } throws: { error in
            guard case .invalidValue(_, let context) = error as? EncodingError else { return false }
            return context.codingPath.map(\.stringValue) == ["values", "1"]
        }
    }
}
