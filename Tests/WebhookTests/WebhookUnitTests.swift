import Testing
@testable import Webhook

@Suite struct WebhookUnitTests {
    /// GitHub's documented test vector ("Validating webhook deliveries").
    @Test func signatureMatchesGitHubsTestVector() {
        let body = Array("Hello, World!".utf8)
        let secret = Array("It's a Secret to Everybody".utf8)
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(HubSignature.header(secret: secret, body: body) == expected)
        #expect(HubSignature.verify(header: expected, body: body, secrets: [secret]))
        #expect(HubSignature.verify(header: expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), body: body, secrets: [secret]))
        #expect(HubSignature.verify(header: expected, body: body, secrets: [Array("old".utf8), secret]))
        #expect(!HubSignature.verify(header: expected, body: body, secrets: []))
        #expect(!HubSignature.verify(header: expected, body: body + [0], secrets: [secret]))
        #expect(!HubSignature.verify(header: "sha256=" + String(expected.dropFirst(8)), body: body, secrets: [secret]))
        #expect(!HubSignature.verify(header: nil, body: body, secrets: [secret]))
    }

    @Test func formPayloadDecodesThePayloadField() {
        #expect(FormPayload.extract(Array("payload=%7B%22a%22%3A+1%7D".utf8)) == Array("{\"a\": 1}".utf8))
        #expect(FormPayload.extract(Array("x=1&payload=abc&payload=def".utf8)) == Array("abc".utf8))
        #expect(FormPayload.extract(Array("payload=%7".utf8)) == nil)
        #expect(FormPayload.extract(Array("payload=%zz".utf8)) == nil)
        #expect(FormPayload.extract(Array("nothing".utf8)) == nil)
        #expect(FormPayload.extract([]) == nil)
        #expect(FormPayload.extract(Array("payload=".utf8)) == [])
    }

    @Test func closingReferencesFollowGitHubsKeywords() {
        let cases: [(String?, Int64?)] = [
            ("Fixes #12", 12), ("closes: #7", 7), ("This resolves #3.", 3), ("RESOLVED #9", 9),
            ("fixes #1 and closes #2", nil), ("fixes #4, fixes #4", 4), ("see #5", nil), ("prefixes #6", nil),
            ("fixes acme/other#8", nil), ("fixes #", nil), ("fixes #0", nil), ("fixes #12abc", nil), (nil, nil), ("", nil),
            ("fix\t#11", 11), ("fixes#13", nil),
        ]
        for (body, expected) in cases {
            #expect(ClosingReference.singleIssue(in: body) == expected, "\(body ?? "nil")")
        }
    }

    @Test func triggerLabelValueIsAValidLabelAndCaseInsensitiveInTheRepository() {
        let a = TriggerKey(repository: "Acme/Shop", issue: 1, stage: .dev, revise: false)
        let b = TriggerKey(repository: "acme/shop", issue: 1, stage: .dev, revise: false)
        #expect(a == b && a.labelValue == b.labelValue)
        #expect(a.labelValue.count == 40 && a.labelValue.allSatisfy { $0.isHexDigit })
        #expect(a.labelValue != TriggerKey(repository: "acme/shop", issue: 1, stage: .dev, revise: true).labelValue)
    }

    @Test func mediaTypes() {
        #expect(WebhookMediaType(contentType: "application/json") == .json)
        #expect(WebhookMediaType(contentType: "Application/JSON; charset=utf-8") == .json)
        #expect(WebhookMediaType(contentType: "application/x-www-form-urlencoded") == .form)
        #expect(WebhookMediaType(contentType: "text/json") == nil)
        #expect(WebhookMediaType(contentType: nil) == nil)
    }
}
