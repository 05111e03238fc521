import Audit
import KubeAPI
import Testing

@Suite struct CatalogTests {
    /// SPEC §8, verbatim.
    static let specNames = """
        webhook.received webhook.duplicate webhook.ignored run.created run.started run.succeeded run.failed
        run.canceled run.failed.precondition run.wait.paused run.wait.resumed run.namespace.prepared
        run.namespace.ttl_scheduled run.namespace.ttl_extended run.namespace.reused run.namespace.reuse_missed
        run.namespace.superseded run.namespace.cleaned run.namespace.cleanup_skipped run.namespace.cleanup_failed
        run.revise.stage_ambiguous
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    static let lease = KubeTime(secondsSince1970: 1_800_000_000)

    /// One example of every catalog event, with the payload keys it must carry.
    static let examples: [(AuditEvent, Set<String>)] = [
        (.webhookReceived(deliveryID: "d1", event: "issues", action: "labeled", sender: "alice"),
         ["deliveryID", "event", "action", "sender"]),
        (.webhookDuplicate(deliveryID: "d1", existingRun: "r1"), ["deliveryID", "existingRun"]),
        (.webhookIgnored(deliveryID: "d1", reason: "trigger_conflict"), ["deliveryID", "reason"]),
        (.runCreated(stage: "dev", revise: false, source: .github, deliveryID: "d1"),
         ["stage", "revise", "source", "deliveryID"]),
        (.runStarted(namespace: "ns", jobName: "job", model: "m", reasoning: "high"),
         ["namespace", "jobName", "model", "reasoning"]),
        (.runSucceeded(durationSeconds: 42), ["durationSeconds"]),
        (.runFailed(reason: "JobFailed", message: "boom"), ["reason", "message"]),
        (.runCanceled(cause: "spec.cancel"), ["cause"]),
        (.runFailedPrecondition(reason: "FailedPrecondition", message: "two model labels"), ["reason", "message"]),
        (.runWaitPaused(wait: .ownerReview), ["wait"]),
        (.runWaitResumed(wait: .mcp, waitedSeconds: 7), ["wait", "waitedSeconds"]),
        (.namespacePrepared(namespace: "ns", mode: "full-env", leaseExpiresAt: lease),
         ["namespace", "mode", "leaseExpiresAt"]),
        (.namespaceTTLScheduled(namespace: "ns", leaseExpiresAt: lease, cause: "code-only grace"),
         ["namespace", "leaseExpiresAt", "cause"]),
        (.namespaceTTLExtended(namespace: "ns", leaseExpiresAt: lease), ["namespace", "leaseExpiresAt"]),
        (.namespaceReused(namespace: "ns", leaseExpiresAt: lease), ["namespace", "leaseExpiresAt"]),
        (.namespaceReuseMissed(cause: "expired", previousNamespace: "old"), ["cause", "previousNamespace"]),
        (.namespaceSuperseded(namespace: "ns", supersededBy: "r2", leaseExpiresAt: lease),
         ["namespace", "supersededBy", "leaseExpiresAt"]),
        (.namespaceCleaned(namespace: "ns"), ["namespace"]),
        (.namespaceCleanupSkipped(namespace: "ns", reason: "debug_label_present", retainUntil: lease),
         ["namespace", "reason", "retainUntil"]),
        (.namespaceCleanupFailed(namespace: "ns", error: "forbidden"), ["namespace", "error"]),
        (.reviseStageAmbiguous(deliveryID: "d1", candidates: ["dev", "qa"]), ["deliveryID", "candidates", "need"]),
    ]

    @Test func catalogNamesAreExactlyTheSpecNames() {
        #expect(AuditEvent.Name.allCases.map(\.rawValue) == Self.specNames)
        #expect(Set(Self.examples.map(\.0.name)) == Set(AuditEvent.Name.allCases))
    }

    @Test(arguments: examples.indices)
    func payloadCarriesItsFieldsAndNothingElse(index: Int) throws {
        let (event, keys) = Self.examples[index]
        let fields = try #require(event.payload.objectValue)
        #expect(Set(fields.keys) == keys)
        #expect(event.payload.serialized().count < 1024)
        #expect(event.note.hasPrefix(event.name.rawValue))
        #expect(!event.reason.contains("."))
        #expect(event.reason.first?.isUppercase == true)
    }

    @Test func warningsAreFailuresAndAnomalies() {
        let warnings = Set(Self.examples.filter(\.0.isWarning).map(\.0.name))
        #expect(warnings == [.runFailed, .runFailedPrecondition, .namespaceReuseMissed, .namespaceCleanupFailed,
                             .reviseStageAmbiguous])
        #expect(AuditEvent.namespaceCleanupSkipped(namespace: "n", reason: "r", retainUntil: nil).reason
                == "RunNamespaceCleanupSkipped")
    }

    @Test func optionalFieldsAreOmittedAndTimesAreRFC3339() throws {
        let event = AuditEvent.namespaceCleanupSkipped(namespace: "ns", reason: "debug_label_present",
                                                       retainUntil: Self.lease)
        #expect(event.payload["retainUntil"] == .string("2027-01-15T08:00:00Z"))
        let bare = AuditEvent.webhookReceived(deliveryID: "d", event: "ping", action: nil, sender: nil)
        #expect(Set(try #require(bare.payload.objectValue).keys) == ["deliveryID", "event"])
    }

    @Test func recordPayloadAddsIssueAndPullRequest() {
        let record = AuditRecord(event: .runCanceled(cause: "unlabeled"),
                                 subject: AuditSubject(run: "r", repository: "o/r", issue: 42, pullRequest: 7),
                                 actor: "operator")
        #expect(record.payload == ["cause": "unlabeled", "issue": 42, "pullRequest": 7])
    }

    @Test(arguments: [
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked", "token *** leaked"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: Bearer ***"),
        ("dial postgresql://audit:s3cret@db:5432/x failed", "dial postgresql://audit:***@db:5432/x failed"),
        ("github_pat_11AAAA_bbbb", "***"),
        ("line1\nline2\u{0}", "line1 line2 "),
        ("plain reason", "plain reason"),
    ])
    func sanitizeScrubsSecretsAndControlCharacters(input: String, expected: String) {
        #expect(AuditText.sanitize(input) == expected)
    }

    @Test func sanitizeBoundsLength() {
        let long = String(repeating: "x", count: 1000)
        let message = AuditEvent.runFailed(reason: "JobFailed", message: long).payload["message"]?.stringValue
        #expect(message?.count == AuditText.messageLimit)
        #expect(AuditText.sanitize(long).count == AuditText.fieldLimit)
    }

    @Test(arguments: [("90s", 90.0), ("15m", 900), ("1h30m", 5400), ("2d", 172_800), ("0.5h", 1800)])
    func feedDurationParses(text: String, seconds: Double) {
        #expect(FeedDuration.seconds(text) == seconds)
    }

    @Test(arguments: ["", "10", "m", "5x", "1h-2m", "0s", "h1"])
    func feedDurationRejects(text: String) {
        #expect(FeedDuration.seconds(text) == nil)
    }
}
