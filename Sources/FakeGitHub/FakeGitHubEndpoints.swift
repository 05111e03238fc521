import KubeAPI

/// An answer before the common headers (rate limit, ETag) are added.
struct FakeAnswer {
    var status: Int
    var json: JSONValue?
    var headers: [(String, String)] = []

    static func error(_ status: Int, _ message: String, errors: [JSONValue]? = nil) -> FakeAnswer {
        var o: [String: JSONValue] = ["message": .string(message),
                                      "documentation_url": .string("https://docs.github.com/rest"),
                                      "status": .string(String(status))]
        if let errors { o["errors"] = .array(errors) }
        return FakeAnswer(status: status, json: .object(o))
    }

    static let notFound = error(404, "Not Found")

    static func validationFailed(resource: String, field: String, code: String, message: String? = nil) -> FakeAnswer {
        var e: [String: JSONValue] = ["resource": .string(resource), "field": .string(field), "code": .string(code)]
        if let message { e["message"] = .string(message) }
        return error(422, "Validation Failed", errors: [.object(e)])
    }
}

/// The endpoints of `GitHubAPI` (and a few neighbours tests use), with GitHub's JSON shapes.
extension FakeGitHubState {
    static let maxCommentLength = 65536

    /// Routes `/repos/{owner}/{repo}/…` and `/repositories/{id}/…` (the form GitHub's Link URLs use).
    mutating func route(method: String, segments: [String], query: String, body: [UInt8], base: String) -> FakeAnswer {
        if segments.count >= 3, segments[0] == "repos", repos[Self.key("\(segments[1])/\(segments[2])")] == nil,
           let id = renamed[Self.key("\(segments[1])/\(segments[2])")] {
            let location = "\(base)/repositories/\(id)/" + segments.dropFirst(3).map(FakeHash.encodeSegment).joined(separator: "/")
                + (query.isEmpty ? "" : "?\(query)")
            var a = FakeAnswer.error(301, "Moved Permanently")
            a.json?["url"] = .string(location)
            a.headers = [("Location", location)]
            return a
        }
        let key: String
        let rest: ArraySlice<String>
        if segments.count >= 3, segments[0] == "repos" {
            key = Self.key("\(segments[1])/\(segments[2])")
            rest = segments.dropFirst(3)
        } else if segments.count >= 2, segments[0] == "repositories", let id = Int64(segments[1]),
                  let hit = repos.first(where: { $0.value.id == id }) {
            key = hit.key
            rest = segments.dropFirst(2)
        } else {
            return .notFound
        }
        guard let repo = repos[key] else { return .notFound }
        let linkBase = "\(base)/repositories/\(repo.id)/" + rest.joined(separator: "/")
        let r = Array(rest)
        switch (method, r.count) {
        case ("GET", 1) where r[0] == "issues":
            return listIssues(repo, query: query, linkBase: linkBase, base: base)
        case (_, 3) where r[0] == "issues" && r[1] == "comments":
            guard let id = Int64(r[2]) else { return .notFound }
            return comment(method: method, repo: repo, id: id, body: body, base: base)
        case (_, 3) where r[0] == "issues" && r[2] == "comments":
            guard let n = Int(r[1]), repo.issues[n] != nil else { return .notFound }
            if method == "GET" {
                let (items, link) = FakePaging.page(comments(repoKey: key, number: n), query: FakeQuery.pairs(query),
                                                    linkBase: linkBase)
                return FakeAnswer(status: 200, json: .array(items.map { json($0, repo: repo, base: base) }),
                                  headers: link.map { [("Link", $0)] } ?? [])
            }
            guard method == "POST" else { return .notFound }
            guard let text = Self.body(body)?["body"]?.stringValue, !text.isEmpty else {
                return .validationFailed(resource: "IssueComment", field: "body", code: "missing_field")
            }
            guard text.count <= Self.maxCommentLength else {
                return .validationFailed(resource: "IssueComment", field: "body", code: "custom",
                                         message: "body is too long (maximum is \(Self.maxCommentLength) characters)")
            }
            let id = addComment(repository: repo.fullName, number: n, body: text, author: login)
            return FakeAnswer(status: 201, json: json(comments[id]!, repo: repo, base: base),
                              headers: [("Location", "\(base)/repos/\(repo.fullName)/issues/comments/\(id)")])
        case (_, 3) where r[0] == "issues" && r[2] == "labels":
            guard let n = Int(r[1]), var issue = repo.issues[n] else { return .notFound }
            if method == "GET" { return FakeAnswer(status: 200, json: .array(issue.labels.map { labelJSON($0, repo: repo, base: base) })) }
            guard method == "POST" || method == "PUT" else { return .notFound }
            guard let names = Self.labelNames(body) else {
                return .validationFailed(resource: "Label", field: "name", code: "invalid")
            }
            if method == "PUT" { issue.labels = [] }
            for name in names where !issue.labels.contains(where: { $0.lowercased() == name.lowercased() }) {
                issue.labels.append(name)
            }
            repos[key]!.issues[n] = issue
            return FakeAnswer(status: 200, json: .array(issue.labels.map { labelJSON($0, repo: repo, base: base) }))
        case ("DELETE", 4) where r[0] == "issues" && r[2] == "labels":
            guard let n = Int(r[1]), var issue = repo.issues[n] else { return .notFound }
            guard let i = issue.labels.firstIndex(where: { $0.lowercased() == r[3].lowercased() }) else {
                return .error(404, "Label does not exist")
            }
            issue.labels.remove(at: i)
            repos[key]!.issues[n] = issue
            return FakeAnswer(status: 200, json: .array(issue.labels.map { labelJSON($0, repo: repo, base: base) }))
        default:
            return .notFound
        }
    }

    /// `GET /repos/{repo}/issues`: `state` (open, closed, all; default open), `labels` (comma-separated,
    /// all must match), newest first (GitHub's default sort=created, direction=desc).
    private func listIssues(_ repo: Repo, query: String, linkBase: String, base: String) -> FakeAnswer {
        let q = FakeQuery.parse(query)
        let state = q["state"] ?? "open"
        let wanted = (q["labels"] ?? "").split(separator: ",").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased() }
        let issues = repo.issues.values
            .filter { state == "all" || (state == "closed") != $0.open }
            .filter { i in wanted.allSatisfy { w in i.labels.contains { $0.lowercased() == w } } }
            .sorted { $0.number > $1.number }
        let (items, link) = FakePaging.page(issues, query: FakeQuery.pairs(query), linkBase: linkBase)
        return FakeAnswer(status: 200, json: .array(items.map { json($0, repo: repo, base: base) }),
                          headers: link.map { [("Link", $0)] } ?? [])
    }

    /// `GET`, `PATCH`, `DELETE /repos/{repo}/issues/comments/{id}`.
    private mutating func comment(method: String, repo: Repo, id: Int64, body: [UInt8], base: String) -> FakeAnswer {
        guard var c = comments[id], c.repoKey == Self.key(repo.fullName) else { return .notFound }
        switch method {
        case "GET":
            return FakeAnswer(status: 200, json: json(c, repo: repo, base: base))
        case "PATCH":
            guard let text = Self.body(body)?["body"]?.stringValue, !text.isEmpty else {
                return .validationFailed(resource: "IssueComment", field: "body", code: "missing_field")
            }
            guard text.count <= Self.maxCommentLength else {
                return .validationFailed(resource: "IssueComment", field: "body", code: "custom",
                                         message: "body is too long (maximum is \(Self.maxCommentLength) characters)")
            }
            c.body = text
            c.updatedAt = tick()
            comments[id] = c
            return FakeAnswer(status: 200, json: json(c, repo: repo, base: base))
        case "DELETE":
            comments[id] = nil
            return FakeAnswer(status: 204, json: nil)
        default:
            return .notFound
        }
    }

    private static func body(_ bytes: [UInt8]) -> JSONValue? { try? JSONValue(parsing: bytes) }

    /// `{"labels": ["a", …]}`, `{"labels": [{"name": "a"}, …]}` or `["a", …]`; nil when malformed or a name is empty.
    private static func labelNames(_ bytes: [UInt8]) -> [String]? {
        guard let v = body(bytes), let list = (v["labels"] ?? v).arrayValue else { return nil }
        let names = list.compactMap { $0.stringValue ?? $0["name"]?.stringValue }
        guard names.count == list.count, !names.contains(where: \.isEmpty) else { return nil }
        return names
    }

    // MARK: - JSON shapes

    private func user(_ login: String) -> JSONValue {
        .object(["login": .string(login), "id": .int(Int64(FakeHash.fnv(login) % 100_000_000)),
                 "type": .string(login.hasSuffix("[bot]") ? "Bot" : "User")])
    }

    private func time(_ t: Int64) -> JSONValue { .string(KubeTime(secondsSince1970: Double(t)).description) }

    func json(_ c: Comment, repo: Repo, base: String) -> JSONValue {
        let web = "https://github.com/\(repo.fullName)/issues/\(c.number)#issuecomment-\(c.id)"
        return .object([
            "id": .int(c.id), "node_id": .string("IC_kwDO\(c.id)"),
            "url": .string("\(base)/repos/\(repo.fullName)/issues/comments/\(c.id)"), "html_url": .string(web),
            "issue_url": .string("\(base)/repos/\(repo.fullName)/issues/\(c.number)"),
            "body": .string(c.body), "user": user(c.author), "author_association": .string("NONE"),
            "created_at": time(c.createdAt), "updated_at": time(c.updatedAt),
        ])
    }

    func json(_ i: Issue, repo: Repo, base: String) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .int(i.id), "node_id": .string("I_kwDO\(i.id)"), "number": .int(Int64(i.number)),
            "url": .string("\(base)/repos/\(repo.fullName)/issues/\(i.number)"),
            "html_url": .string("https://github.com/\(repo.fullName)/\(i.isPullRequest ? "pull" : "issues")/\(i.number)"),
            "title": .string(i.title), "state": .string(i.open ? "open" : "closed"), "user": user(i.author),
            "labels": .array(i.labels.map { labelJSON($0, repo: repo, base: base) }),
            "body": i.body.map(JSONValue.string) ?? .null, "comments": .int(Int64(comments(repoKey: Self.key(repo.fullName), number: i.number).count)),
            "created_at": time(i.createdAt), "updated_at": time(i.createdAt), "locked": .bool(false),
        ]
        if i.isPullRequest {
            o["pull_request"] = .object([
                "url": .string("\(base)/repos/\(repo.fullName)/pulls/\(i.number)"),
                "html_url": .string("https://github.com/\(repo.fullName)/pull/\(i.number)"),
            ])
        }
        return .object(o)
    }

    func labelJSON(_ name: String, repo: Repo, base: String) -> JSONValue {
        .object(["id": .int(Int64(FakeHash.fnv(name.lowercased()) % 1_000_000_000)), "name": .string(name),
                 "url": .string("\(base)/repos/\(repo.fullName)/labels/\(name)"), "color": .string("ededed"),
                 "default": .bool(false), "description": .null])
    }
}
