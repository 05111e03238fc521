@testable import KubeTestServer
import KubeAPI
import Testing

/// Schema `pattern`s are compiled once (`PatternCache`) and still decide every write the same
/// way: over HTTP, and for the cache itself.
struct PatternCacheTests {
    /// The widget CRD's `spec.name` has `pattern: ^[a-z]+/[a-z]+$`: after the first write compiled
    /// it, later writes are still accepted or rejected by the value, in any order.
    @Test func cachedPatternStillDecidesEachWrite() async throws {
        let (f, c) = try await SchemaValidationTests.start()
        for (i, name) in ["a/b", "nope", "abc/def", "UP/per", "x/y"].enumerated() {
            let r = try c.request("POST", SchemaValidationTests.widgets,
                                  body: SchemaValidationTests.widget(["size": 1, "name": .string(name)], name: "w\(i)"))
            if name == "nope" || name == "UP/per" {
                #expect(r.status == 422, "\(name)")
                let causes = r.json[path: ["details", "causes"]]?.arrayValue ?? []
                #expect(causes.contains { $0["field"] == "spec.name" && $0["message"]?.stringValue?.contains("should match '^[a-z]+/[a-z]+$'") == true },
                        "\(causes)")
            } else {
                #expect(r.status == 201, "\(name): \(r.json)")
            }
        }
        try await f.close()
    }

    @Test func answersWhatNSRegularExpressionWould() {
        #expect(PatternCache.regex("^[0-9]+$") != nil)
        #expect(PatternCache.regex("([unclosed") == nil, "a pattern that does not compile")
        #expect(PatternCache.regex("([unclosed") == nil, "…and stays so from the cache")
        #expect(ScalarChecks.matches("123", "^[0-9]+$"))
        #expect(!ScalarChecks.matches("12a", "^[0-9]+$"))
        #expect(!ScalarChecks.matches("anything", "([unclosed"))
        #expect(PatternCache.count <= PatternCache.limit)
    }
}
