import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import Webhook

/// `codex-k8s dev deliver <event>/<action> [--label run:dev] [--issue 42] [--repo owner/name]
/// [--pr N] [--review changes_requested] [--url URL] [--secret-file FILE]`: sends the playground's
/// webhook one realistic GitHub delivery (`SampleDelivery`), signed as GitHub signs it
/// (`X-Hub-Signature-256` under the secret `codex-k8s dev` wrote to `<dir>/webhook-secret`), and
/// prints the adapter's answer (`HTTP <code>` and its JSON body). Exits 0 for a 2xx answer, 1 otherwise.
struct DevDeliver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Send the playground's webhook a signed sample GitHub delivery and print the answer.",
        discussion: "EVENT/ACTION is one of: \(SampleDelivery.supported.joined(separator: ", ")).")

    @Argument(help: "The delivery, as event/action (e.g. issues/labeled).")
    var eventAction: String

    @Option(help: "The label added or removed (labeled/unlabeled), e.g. run:dev, run:dev:revise.")
    var label: String?

    @Option(name: .customLong("with-label"), help: "A label already on the issue or pull request (repeatable), e.g. model:o3.")
    var labels: [String] = []

    @Option(help: "The issue number.")
    var issue: Int64 = 42

    @Option(name: .customLong("repo"), help: "The repository, owner/name (the playground allows codex-k8s/playground).")
    var repository = "codex-k8s/playground"

    @Option(name: .customLong("pr"), help: "The pull request number (pull_request and pull_request_review events).")
    var pullRequest: Int64 = 7

    @Option(help: "The review state (pull_request_review/submitted): changes_requested, approved, commented.")
    var review = "changes_requested"

    @Option(help: "The issue or pull request body (default for a pull request: \"Closes #<issue>\").")
    var body: String?

    @Option(help: "The GitHub login of the sender.")
    var sender = "octocat"

    @Option(help: "The X-GitHub-Delivery id (default: a new UUID; repeat one to see a redelivery deduplicated).")
    var deliveryID: String?

    /// `--dir` belongs to `dev` (ArgumentParser gives a parent's option to the parent wherever it
    /// appears), so `dev deliver … --dir D` and `dev --dir D deliver …` both read the playground in D.
    @ParentCommand var dev: DevCommand

    @Option(help: "The webhook URL (default: the one in <dir>/webhook-url).")
    var url: String?

    @Option(help: "File holding the webhook secret (default: <dir>/webhook-secret).")
    var secretFile: String?

    func validate() throws {
        guard SampleDelivery(eventAction) != nil else {
            throw ValidationError("unknown delivery \(eventAction); one of: \(SampleDelivery.supported.joined(separator: ", "))")
        }
        if SampleDelivery(eventAction)?.needsLabel == true, label == nil {
            throw ValidationError("\(eventAction) needs --label NAME (e.g. --label run:dev)")
        }
        guard issue >= 1, pullRequest >= 1 else { throw ValidationError("--issue and --pr must be positive") }
    }

    func run() async throws {
        var sample = SampleDelivery(eventAction)!
        sample.repository = repository
        sample.issue = issue
        sample.pullRequest = pullRequest
        sample.label = label
        sample.labels = labels
        sample.review = review
        sample.sender = sender
        sample.body = body
        let files = PlaygroundFiles(directory: dev.dir)
        let target: String
        let secret: String
        do {
            target = try url ?? PlaygroundFiles.read(files.webhookURL, what: "the webhook URL")
            secret = try PlaygroundFiles.read(secretFile ?? files.webhookSecret, what: "the webhook secret")
        } catch let error as PlaygroundError {
            throw Self.fail(error.description)
        }
        let answer = try await Self.send(sample, id: deliveryID ?? UUID().uuidString.lowercased(), url: target, secret: secret)
        print("HTTP \(answer.status) \(String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        if !(200..<300).contains(answer.status) { throw ExitCode.failure }
    }

    /// POSTs `sample` as GitHub does (JSON body, event/delivery/signature headers). A 503 (the
    /// adapter's AgentRun cache has not synced yet) is retried for up to 30 s.
    static func send(_ sample: SampleDelivery, id: String, url: String, secret: String) async throws -> HTTPResponse {
        let body = Array(sample.payload.jsonString(sortedKeys: true).utf8)
        let headers = ["Content-Type: application/json", "User-Agent: GitHub-Hookshot/codex-k8s-dev",
                       "X-GitHub-Event: \(sample.event)", "X-GitHub-Delivery: \(id)",
                       "X-GitHub-Hook-ID: 1", "\(HubSignature.headerName): \(HubSignature.header(secret: Array(secret.utf8), body: body))"]
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: .seconds(30))
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let response: HTTPResponse
            do {
                response = try await CurlLoop.shared.perform(request)
            } catch {
                throw fail("cannot reach \(url) (\(error)): is `codex-k8s dev` running?")
            }
            if response.status != 503 || ContinuousClock.now > deadline { return response }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("codex-k8s dev deliver: \(message)\n".utf8))
        return ExitCode.failure
    }
}
