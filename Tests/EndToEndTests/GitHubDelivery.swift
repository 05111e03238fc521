import COpenSSL
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeAPI

/// GitHub webhook deliveries as GitHub sends them: a JSON payload in the documented shape, signed
/// with `X-Hub-Signature-256` (HMAC-SHA256 computed here with OpenSSL, independently of the
/// webhook's own code), POSTed over HTTP to `/webhooks/github`.
struct GitHubDelivery: Sendable {
    var event: String
    var id: String = UUID().uuidString.lowercased()
    var payload: JSONValue

    /// The webhook's answer: HTTP status and the JSON body's `status`, `reason` and `run`.
    struct Answer: Sendable, CustomStringConvertible {
        var code: Int
        var body: JSONValue
        var status: String? { body["status"]?.stringValue }
        var reason: String? { body["reason"]?.stringValue }
        var run: String? { body["run"]?.stringValue }
        var description: String { "\(code) \(body.jsonString(sortedKeys: true))" }
    }

    /// POSTs the delivery to `url` signed with `secret`.
    func send(to url: String, secret: String) async throws -> Answer {
        let body = Array(payload.jsonString(sortedKeys: true).utf8)
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(event, forHTTPHeaderField: "X-GitHub-Event")
        request.setValue(id, forHTTPHeaderField: "X-GitHub-Delivery")
        request.setValue(Self.signature(secret: secret, body: body), forHTTPHeaderField: "X-Hub-Signature-256")
        request.setValue("GitHub-Hookshot/e2e", forHTTPHeaderField: "User-Agent")
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = (try? JSONValue(parsing: Array(data))) ?? .string(String(decoding: data, as: UTF8.self))
        return Answer(code: code, body: json)
    }

    /// `sha256=<hex of HMAC-SHA256(secret, body)>`.
    static func signature(secret: String, body: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let key = Array(secret.utf8)
        _ = HMAC(EVP_sha256(), key, Int32(key.count), body, body.count, &out, &length)
        return "sha256=" + out.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: payloads (the fields GitHub documents; the adapter reads a subset)

    static func user(_ login: String) -> JSONValue {
        ["login": .string(login), "id": 583231, "type": "User", "site_admin": false,
         "html_url": .string("https://github.com/\(login)")]
    }

    static func repository(_ fullName: String) -> JSONValue {
        let parts = fullName.split(separator: "/").map(String.init)
        return ["id": 1296269, "name": .string(parts.last ?? ""), "full_name": .string(fullName), "private": false,
                "owner": user(parts.first ?? ""), "default_branch": "main",
                "html_url": .string("https://github.com/\(fullName)")]
    }

    static func label(_ name: String) -> JSONValue {
        ["id": 208045946, "name": .string(name), "color": "f29513", "default": false, "description": .null]
    }

    /// `issues` / `labeled`: `label` was just added; `labels` is the issue's label set after it.
    static func issueLabeled(repository: String, issue: Int64, label: String, labels: [String],
                             sender: String = "octocat") -> GitHubDelivery {
        GitHubDelivery(event: "issues", payload: [
            "action": "labeled",
            "issue": ["number": .int(issue), "title": "Add a shopping cart", "state": "open", "user": user("octocat"),
                      "labels": .array(labels.map(Self.label)), "body": "As a customer I want a cart."],
            "label": Self.label(label), "repository": Self.repository(repository), "sender": user(sender),
        ])
    }

    /// `pull_request_review` / `submitted` with review state `state` (e.g. `changes_requested`) on
    /// pull request `number` carrying `labels` and `body` (e.g. `Closes #42`).
    static func review(repository: String, pullRequest number: Int64, state: String, labels: [String],
                       body: String? = nil, sender: String = "reviewer") -> GitHubDelivery {
        GitHubDelivery(event: "pull_request_review", payload: [
            "action": "submitted",
            "review": ["id": 80, "user": user(sender), "body": "Please rename the cart type.", "state": .string(state),
                       "submitted_at": "2026-12-04T10:00:00Z", "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"],
            "pull_request": ["number": .int(number), "state": "open", "title": "Add a shopping cart",
                             "user": user("octocat"), "body": body.map { .string($0) } ?? .null,
                             "labels": .array(labels.map(Self.label)),
                             "head": ["ref": "cart", "sha": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"],
                             "base": ["ref": "main", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"]],
            "repository": Self.repository(repository), "sender": user(sender),
        ])
    }
}
