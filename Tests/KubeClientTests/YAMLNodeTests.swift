import KubeAPI
import Testing
@testable import KubeClient

@Suite struct YAMLNodeTests {
    @Test func parsesNestedDocumentWithMarks() throws {
        let node = try YAMLNode.parse("""
            a: 1
            b:
              - x
              - "true"
              - true
            c: {d: null, e: 2.5}
            """)
        #expect(node["a"]?.int == 1)
        #expect(node["a"]?.mark == YAMLMark(line: 1, column: 4))
        #expect(node["b"]?.items?.count == 3)
        #expect(node["b"]?.items?[2].bool == true)
        #expect(node["b"]?.items?[1].bool == nil)  // quoted
        #expect(node["c"]?["d"]?.isNull == true)
        #expect(try node.jsonValue() == ["a": 1, "b": ["x", "true", true], "c": ["d": .null, "e": 2.5]])
    }

    @Test func resolvesAliasesAndMergeKeys() throws {
        let node = try YAMLNode.parse("""
            base: &b {x: 1, y: 2}
            derived:
              <<: *b
              y: 3
            """)
        #expect(try node["derived"]?.jsonValue() == ["x": 1, "y": 3])
    }

    @Test func rejectsDuplicateKeysWithPosition() {
        #expect {
            _ = try YAMLNode.parse("a: 1\nb: 2\na: 3\n", file: "f.yaml")
        } throws: { error in
            let e = error as? YAMLError
            return e?.mark == YAMLMark(line: 3, column: 1) && e?.file == "f.yaml"
        }
    }

    @Test func syntaxErrorHasLineAndColumn() {
        #expect {
            _ = try YAMLNode.parse("a:\n  - b\n c: [\n")
        } throws: { error in
            guard let e = error as? YAMLError else { return false }
            return e.mark.line >= 2
        }
    }
}
