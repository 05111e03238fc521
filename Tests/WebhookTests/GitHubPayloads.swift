import KubeAPI

/// Payloads in the shapes GitHub documents for its webhook events (octokit/webhooks examples:
/// `Codertocat/Hello-World`), with the fields the adapter reads and a realistic set of others.
enum GitHubPayloads {
    static func user(_ login: String, type: String = "User") -> JSONValue {
        ["login": .string(login), "id": 21031067, "node_id": "MDQ6VXNlcjIxMDMxMDY3",
         "avatar_url": "https://avatars1.githubusercontent.com/u/21031067?v=4", "gravatar_id": "",
         "url": .string("https://api.github.com/users/\(login)"), "html_url": .string("https://github.com/\(login)"),
         "type": .string(type), "site_admin": false]
    }

    static func repository(_ fullName: String) -> JSONValue {
        let owner = String(fullName.split(separator: "/").first ?? "")
        return ["id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
                "name": .string(String(fullName.split(separator: "/").last ?? "")), "full_name": .string(fullName),
                "private": false, "owner": user(owner), "html_url": .string("https://github.com/\(fullName)"),
                "description": .null, "fork": false, "url": .string("https://api.github.com/repos/\(fullName)"),
                "created_at": "2019-05-15T15:19:25Z", "updated_at": "2019-05-15T15:21:03Z", "pushed_at": "2019-05-15T15:20:57Z",
                "default_branch": "main", "open_issues_count": 2, "visibility": "public"]
    }

    static func label(_ name: String) -> JSONValue {
        ["id": 1362934389, "node_id": "MDU6TGFiZWwxMzYyOTM0Mzg5", "url": .string("https://api.github.com/labels/\(name)"),
         "name": .string(name), "color": "d73a4a", "default": false, "description": .null]
    }

    static func issue(_ number: Int64, labels: [String], pullRequest: Bool = false) -> JSONValue {
        var o: JSONValue = [
            "url": .string("https://api.github.com/repos/Codertocat/Hello-World/issues/\(number)"),
            "id": 444500041, "node_id": "MDU6SXNzdWU0NDQ1MDAwNDE=", "number": .int(number),
            "title": "Spelling error in the README file", "user": user("Codertocat"),
            "labels": .array(labels.map(label)), "state": "open", "locked": false, "assignee": .null, "assignees": [],
            "milestone": .null, "comments": 0, "created_at": "2019-05-15T15:20:18Z", "updated_at": "2019-05-15T15:20:18Z",
            "closed_at": .null, "author_association": "OWNER", "body": "It looks like you accidently spelled 'commit' with two 't's.",
        ]
        if pullRequest { o["pull_request"] = ["url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"] }
        return o
    }

    static func pullRequest(_ number: Int64, labels: [String], body: String? = nil) -> JSONValue {
        ["url": .string("https://api.github.com/repos/Codertocat/Hello-World/pulls/\(number)"), "id": 279147437,
         "node_id": "MDExOlB1bGxSZXF1ZXN0Mjc5MTQ3NDM3", "number": .int(number), "state": "open", "locked": false,
         "title": "Update the README with new information.", "user": user("Codertocat"),
         "body": body.map { .string($0) } ?? .null, "labels": .array(labels.map(label)),
         "created_at": "2019-05-15T15:20:33Z", "updated_at": "2019-05-15T15:20:33Z", "merged": false, "draft": false,
         "head": ["label": "Codertocat:changes", "ref": "changes", "sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821"],
         "base": ["label": "Codertocat:main", "ref": "main", "sha": "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"]]
    }

    /// `issues` with action `labeled`/`unlabeled` (`label` is the label added or removed) or `closed`.
    static func issues(_ action: String, repo: String = "acme/shop", issue: Int64 = 42, label: String? = nil, labels: [String]? = nil,
                       sender: JSONValue = user("octocat"), pullRequest: Bool = false) -> JSONValue {
        var o: JSONValue = ["action": .string(action),
                            "issue": Self.issue(issue, labels: labels ?? label.map { [$0] } ?? [], pullRequest: pullRequest),
                            "repository": repository(repo), "sender": sender]
        if let label { o["label"] = self.label(label) }
        return o
    }

    static func pullRequestEvent(_ action: String, repo: String = "acme/shop", number: Int64 = 7, label: String? = nil,
                                 labels: [String]? = nil, body: String? = nil, sender: JSONValue = user("octocat")) -> JSONValue {
        var o: JSONValue = ["action": .string(action), "number": .int(number),
                            "pull_request": pullRequest(number, labels: labels ?? label.map { [$0] } ?? [], body: body),
                            "repository": repository(repo), "sender": sender]
        if let label { o["label"] = self.label(label) }
        return o
    }

    /// `pull_request_review` `submitted`; `state` as GitHub sends it in webhooks (`changes_requested`, `approved`, `commented`).
    static func review(state: String, repo: String = "acme/shop", number: Int64 = 7, labels: [String] = [], body: String? = nil,
                       sender: JSONValue = user("reviewer")) -> JSONValue {
        ["action": "submitted",
         "review": ["id": 237895671, "node_id": "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3MjM3ODk1Njcx", "user": sender, "body": .null,
                    "commit_id": "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "submitted_at": "2019-05-15T15:20:38Z",
                    "state": .string(state), "author_association": "OWNER"],
         "pull_request": pullRequest(number, labels: labels, body: body), "repository": repository(repo), "sender": sender]
    }

    static func ping(repo: String = "acme/shop") -> JSONValue {
        ["zen": "Keep it logically awesome.", "hook_id": 109948940,
         "hook": ["type": "Repository", "id": 109948940, "name": "web", "active": true,
                  "events": ["issues", "pull_request", "pull_request_review"],
                  "config": ["content_type": "json", "insecure_ssl": "0", "url": "https://example.com/webhooks/github"]],
         "repository": repository(repo), "sender": user("Codertocat")]
    }
}
