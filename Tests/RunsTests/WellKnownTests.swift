import Runs
import Testing

@Suite struct WellKnownTests {
    @Test func waitAnnotation() {
        #expect(WaitKind.requested(by: nil) == nil)
        #expect(WaitKind.requested(by: ["other": "x"]) == nil)
        #expect(WaitKind.requested(by: [WellKnown.waitAnnotation: "mcp"]) == .success(.mcp))
        #expect(WaitKind.requested(by: [WellKnown.waitAnnotation: " Owner-Review "]) == .success(.ownerReview))
        #expect(WaitKind.requested(by: [WellKnown.waitAnnotation: "later"]) == .failure(WaitKind.UnknownWait(value: "later")))
        #expect(WaitKind.mcp.reason == .waitingMCP && WaitKind.ownerReview.reason == .waitingOwnerReview)
    }

    @Test func namespaceLabels() {
        let labels = WellKnown.namespaceLabels(issue: 42, stage: .aiRepair, mode: .codeOnly)
        #expect(labels == ["app.kubernetes.io/managed-by": "codex-k8s", "codex-k8s.dev/namespace-purpose": "run",
                           "codex-k8s.dev/issue": "42", "codex-k8s.dev/stage": "ai-repair", "codex-k8s.dev/mode": "code-only"])
        #expect(WellKnown.isManagedRunNamespace(labels))
        #expect(!WellKnown.isManagedRunNamespace(["app.kubernetes.io/managed-by": "codex-k8s"]), "both labels are needed")
        #expect(!WellKnown.isManagedRunNamespace(nil))
    }
}
