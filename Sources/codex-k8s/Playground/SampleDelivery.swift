import Foundation
import KubeAPI

/// A realistic GitHub webhook delivery for the playground (`codex-k8s dev deliver`): the shapes
/// GitHub documents for `issues` (labeled, unlabeled, closed), `pull_request` (labeled, closed) and
/// `pull_request_review` (submitted), with the fields the adapter reads and the usual neighbours
/// (urls, titles, users), so what the adapter sees is what GitHub would send.
///
/// Contract: `labels` are the labels already on the issue or pull request; for `labeled` the
/// `label` is added to them (GitHub sends the label list after the change), for `unlabeled` it is
/// removed. A pull request's body says `Closes #<issue>`, which is how the adapter links it to the
/// issue (SPEC §4).
struct SampleDelivery: Sendable {
    static let supported = ["issues/labeled", "issues/unlabeled", "issues/closed", "pull_request/labeled",
                            "pull_request/closed", "pull_request_review/submitted"]

    var event: String
    var action: String
    var repository = "codex-k8s/playground"
    var issue: Int64 = 42
    var pullRequest: Int64 = 7
    var label: String?
    var labels: [String] = []
    var review = "changes_requested"
    var sender = "octocat"
    var body: String?

    /// Parses `event/action`; nil when the pair is not one of `supported`.
    init?(_ eventAction: String) {
        guard Self.supported.contains(eventAction) else { return nil }
        let parts = eventAction.split(separator: "/")
        event = String(parts[0])
        action = String(parts[1])
    }

    /// Whether this delivery names a label (`labeled` and `unlabeled` need one).
    var needsLabel: Bool { action == "labeled" || action == "unlabeled" }

    var payload: JSONValue {
        var o: [String: JSONValue] = ["action": .string(action), "repository": repositoryObject, "sender": user(sender)]
        if let label, needsLabel { o["label"] = labelObject(label) }
        switch event {
        case "issues":
            o["issue"] = issueObject
        case "pull_request":
            o["number"] = .int(pullRequest)
            o["pull_request"] = pullRequestObject
        default:
            o["pull_request"] = pullRequestObject
            o["review"] = .object([
                "id": .int(Int64.random(in: 1...9_999_999)), "state": .string(review), "user": user("reviewer"),
                "body": .string(review == "changes_requested" ? "Please handle the empty input too." : "Looks good."),
                "submitted_at": .string(Self.now),
                "html_url": .string("\(htmlURL)/pull/\(pullRequest)#pullrequestreview-1"),
            ])
        }
        return .object(o)
    }

    /// The label names after the change this delivery reports.
    var currentLabels: [String] {
        var names = labels
        if let label, action == "labeled", !names.contains(label) { names.append(label) }
        if let label, action == "unlabeled" { names.removeAll { $0 == label } }
        return names
    }

    private var htmlURL: String { "https://github.com/\(repository)" }
    private static var now: String { ISO8601DateFormatter().string(from: Date()) }

    private var repositoryObject: JSONValue {
        let parts = repository.split(separator: "/", maxSplits: 1).map(String.init)
        return .object([
            "id": .int(1_296_269), "name": .string(parts.last ?? repository), "full_name": .string(repository),
            "owner": user(parts.first ?? repository), "private": .bool(false), "html_url": .string(htmlURL),
            "default_branch": .string("main"),
        ])
    }

    private var issueObject: JSONValue {
        .object([
            "number": .int(issue), "title": .string("Playground issue #\(issue)"), "user": user(sender),
            "state": .string(action == "closed" ? "closed" : "open"), "labels": .array(currentLabels.map(labelObject)),
            "body": .string(body ?? "Add a --dry-run flag to the importer."), "html_url": .string("\(htmlURL)/issues/\(issue)"),
            "created_at": .string(Self.now), "updated_at": .string(Self.now),
        ])
    }

    private var pullRequestObject: JSONValue {
        .object([
            "number": .int(pullRequest), "title": .string("Fix #\(issue)"), "user": user("codex-bot"),
            "state": .string(action == "closed" ? "closed" : "open"), "merged": .bool(false),
            "labels": .array(currentLabels.map(labelObject)), "body": .string(body ?? "Closes #\(issue)"),
            "html_url": .string("\(htmlURL)/pull/\(pullRequest)"),
            "head": .object(["ref": .string("codex/issue-\(issue)"), "sha": .string(String(repeating: "a", count: 40))]),
            "base": .object(["ref": .string("main")]),
        ])
    }

    private func user(_ login: String) -> JSONValue {
        .object(["login": .string(login), "id": .int(Int64(abs(login.hashValue % 1_000_000))), "type": .string("User")])
    }

    private func labelObject(_ name: String) -> JSONValue {
        .object(["name": .string(name), "color": .string("ededed"), "default": .bool(false)])
    }
}
