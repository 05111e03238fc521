import Synchronization
import Testing
@testable import KubeClient

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(2),
                             sleeper: { _ in }, random: { 0.5 })

    @Test func retriesIdempotentServerAndTransportErrors() {
        #expect(policy.delay(after: .server(code: 503, reason: nil, message: ""), attempt: 1, idempotent: true) == .milliseconds(50))
        #expect(policy.delay(after: .server(code: 503, reason: nil, message: ""), attempt: 3, idempotent: true) == .milliseconds(200))
        #expect(policy.delay(after: .transport(code: 7, message: ""), attempt: 1, idempotent: true) != nil)
        #expect(policy.delay(after: .server(code: 503, reason: nil, message: ""), attempt: 4, idempotent: true) == nil)
    }

    @Test func neverRetriesCreateOnServerOrTransportErrors() {
        #expect(policy.delay(after: .server(code: 500, reason: nil, message: ""), attempt: 1, idempotent: false) == nil)
        #expect(policy.delay(after: .transport(code: 56, message: ""), attempt: 1, idempotent: false) == nil)
    }

    @Test func honoursRetryAfterEvenForCreateButClamps() {
        #expect(policy.delay(after: .tooManyRequests(retryAfter: .seconds(1), message: ""), attempt: 1, idempotent: false) == .seconds(1))
        #expect(policy.delay(after: .tooManyRequests(retryAfter: .seconds(90), message: ""), attempt: 1, idempotent: true) == .seconds(2))
    }

    @Test func clientErrorsAreFinal() {
        for e: KubeError in [.notFound(kind: nil, name: nil, message: ""), .conflict(kind: nil, name: nil, message: ""),
                             .invalid(kind: nil, name: nil, message: "", causes: []), .server(code: 400, reason: nil, message: "")] {
            #expect(policy.delay(after: e, attempt: 1, idempotent: true) == nil)
        }
    }

    @Test func jitterStaysWithinCap() {
        let random = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for attempt in 1...4 {
            let d = random.backoff(attempt)
            #expect(d >= .zero && d <= .milliseconds(100) * (1 << (attempt - 1)))
        }
    }
}
