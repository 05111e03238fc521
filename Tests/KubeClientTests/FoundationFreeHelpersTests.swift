import Foundation
import Testing
import TestSupport
@testable import KubeClient

/// The small replacements for Foundation (`NSString` paths, `CharacterSet` trimming,
/// `replacingOccurrences`, `Thread`) that let KubeClient import only FoundationEssentials.
@Suite struct FoundationFreeHelpersTests {
    @Test(arguments: [
        ("/a/b/config", "/a/b"), ("/a/b/", "/a"), ("/config", "/"), ("config", ""),
        ("sub/config", "sub"), ("/", "/"),
    ])
    func directoryMatchesNSString(path: String, expected: String) {
        #expect(FilePaths.directory(of: path) == expected)
        #expect(FilePaths.directory(of: path) == (path as NSString).deletingLastPathComponent)
    }

    @Test func joinPutsExactlyOneSlash() {
        #expect(FilePaths.join("/a", "b") == "/a/b")
        #expect(FilePaths.join("/a/", "b") == "/a/b")
        #expect(FilePaths.join("/", "b") == "/b")
        #expect(FilePaths.join("", "b") == "b")
    }

    @Test func relativeAndHomePathsResolve() {
        #expect(KubeConfigReader.resolve("/abs/ca.crt", against: "/base") == "/abs/ca.crt")
        #expect(KubeConfigReader.resolve("certs/ca.crt", against: "/base") == "/base/certs/ca.crt")
        #expect(KubeConfigReader.resolve("ca.crt", against: "") == "ca.crt")
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        #expect(KubeConfigReader.resolve("~/.kube/ca.crt", against: "/base") == (home as NSString).appendingPathComponent(".kube/ca.crt"))
        #expect(FilePaths.homeDirectory == home)
    }

    @Test(arguments: [
        ("  token\n", "token"), ("\t\r\nvalue \r\n", "value"), ("a b", "a b"), ("", ""), (" \n\t", ""),
        ("\u{00A0}x\u{2003}", "x"),
    ])
    func trimmingMatchesCharacterSet(text: String, expected: String) {
        #expect(text.trimmingWhitespace == expected)
        #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func jsonPointerEscapesTildeBeforeSlash() {
        #expect(JSONPatchOperation.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPatchOperation.escape("~1") == "~01")
        #expect(JSONPatchOperation.escape("plain") == "plain")
    }

    @Test func loopThreadIsNamedAndRunsTheLoop() async throws {
        let loop = CurlLoop()
        defer { loop.shutdown() }
        // The thread drives transfers: a request to a closed port fails through curl (not a hang).
        // Once it has, the thread has also named itself (naming precedes the loop).
        let result = try? await loop.perform(HTTPRequest(method: "GET", url: "http://127.0.0.1:1/", timeout: .seconds(5)))
        #expect(result == nil)
        #expect(try ThreadNames.of("self").contains("kube-curl-loop"))
    }
}
