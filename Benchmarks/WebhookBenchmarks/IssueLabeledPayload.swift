import Foundation

/// An `issues` / `labeled` delivery in the shape GitHub documents (octokit/webhooks example
/// `issues.labeled`: full user, label, issue and repository objects), sized to `size` bytes by the
/// issue body (9 KiB: the fixed fields alone are ~8.9 KB), as GitHub sends it (compact JSON). The issue number and the label vary per delivery.
struct IssueLabeledPayload {
    static let size = 9 * 1024

    /// The template's fixed bytes, between the varying fields (`slots[i]` follows `segments[i]`).
    private let segments: [[UInt8]]
    private let slots: [Bool] // true: the issue number, false: the label name

    init(repository: String = "acme/shop", size: Int = IssueLabeledPayload.size) {
        let probe = Self.render(repository: repository, number: "1", label: "run:dev", body: "")
        let pad = max(0, size - probe.utf8.count)
        let sentence = "The checkout page times out when the cart holds more than 40 items; steps and logs follow. "
        let body = String(String(repeating: sentence, count: pad / sentence.utf8.count + 1).prefix(pad))
        let text = Array(Self.render(repository: repository, number: "\u{1}", label: "\u{2}", body: body).utf8)
        var segments: [[UInt8]] = [[]]
        var slots: [Bool] = []
        for byte in text {
            if byte == 1 || byte == 2 {
                slots.append(byte == 1)
                segments.append([])
            } else {
                segments[segments.count - 1].append(byte)
            }
        }
        self.segments = segments
        self.slots = slots
    }

    /// The body of one delivery.
    func body(number: Int, label: String) -> [UInt8] {
        let n = Array(String(number).utf8), l = Array(label.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Self.size + 256)
        for (i, segment) in segments.enumerated() {
            out += segment
            if i < slots.count { out += slots[i] ? n : l }
        }
        return out
    }

    static func user(_ login: String, id: Int, type: String = "User") -> String {
        let u = "https://api.github.com/users/\(login)"
        return """
        {"login":"\(login)","id":\(id),"node_id":"MDQ6VXNlcj\(id)","avatar_url":"https://avatars.githubusercontent.com/u/\(id)?v=4",\
        "gravatar_id":"","url":"\(u)","html_url":"https://github.com/\(login)","followers_url":"\(u)/followers",\
        "following_url":"\(u)/following{/other_user}","gists_url":"\(u)/gists{/gist_id}","starred_url":"\(u)/starred{/owner}{/repo}",\
        "subscriptions_url":"\(u)/subscriptions","organizations_url":"\(u)/orgs","repos_url":"\(u)/repos",\
        "events_url":"\(u)/events{/privacy}","received_events_url":"\(u)/received_events","type":"\(type)",\
        "user_view_type":"public","site_admin":false}
        """
    }

    static func label(_ name: String, id: Int) -> String {
        """
        {"id":\(id),"node_id":"LA_kwDOCx3f2s8AAAABf\(id)","url":"https://api.github.com/repos/acme/shop/labels/\(name)",\
        "name":"\(name)","color":"0e8a16","default":false,"description":"codex-k8s trigger"}
        """
    }

    static func render(repository: String, number: String, label: String, body: String) -> String {
        let owner = String(repository.split(separator: "/")[0])
        let name = String(repository.split(separator: "/")[1])
        let r = "https://api.github.com/repos/\(repository)"
        let issue = """
        {"url":"\(r)/issues/\(number)","repository_url":"\(r)","labels_url":"\(r)/issues/\(number)/labels{/name}",\
        "comments_url":"\(r)/issues/\(number)/comments","events_url":"\(r)/issues/\(number)/events",\
        "html_url":"https://github.com/\(repository)/issues/\(number)","id":2712345678,"node_id":"I_kwDOCx3f2s6hqK1O",\
        "number":\(number),"title":"Checkout times out for large carts","user":\(user("octocat", id: 583231)),\
        "labels":[\(Self.label("bug", id: 6417383601)),\(Self.label("area:checkout", id: 6417383602)),\(Self.label(label, id: 6417383603))],\
        "state":"open","locked":false,"assignee":null,"assignees":[],"milestone":null,"comments":3,\
        "created_at":"2026-12-01T09:12:44Z","updated_at":"2026-12-04T22:31:09Z","closed_at":null,"author_association":"MEMBER",\
        "type":null,"active_lock_reason":null,"sub_issues_summary":{"total":0,"completed":0,"percent_completed":0},\
        "body":"\(body)","reactions":{"url":"\(r)/issues/\(number)/reactions","total_count":0,"+1":0,"-1":0,"laugh":0,\
        "hooray":0,"confused":0,"heart":0,"rocket":0,"eyes":0},"timeline_url":"\(r)/issues/\(number)/timeline",\
        "performed_via_github_app":null,"state_reason":null}
        """
        let repo = """
        {"id":186853002,"node_id":"MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=","name":"\(name)","full_name":"\(repository)","private":true,\
        "owner":\(user(owner, id: 21031067, type: "Organization")),"html_url":"https://github.com/\(repository)","description":"The shop",\
        "fork":false,"url":"\(r)","forks_url":"\(r)/forks","keys_url":"\(r)/keys{/key_id}",\
        "collaborators_url":"\(r)/collaborators{/collaborator}","teams_url":"\(r)/teams","hooks_url":"\(r)/hooks",\
        "issue_events_url":"\(r)/issues/events{/number}","events_url":"\(r)/events","assignees_url":"\(r)/assignees{/user}",\
        "branches_url":"\(r)/branches{/branch}","tags_url":"\(r)/tags","blobs_url":"\(r)/git/blobs{/sha}",\
        "git_tags_url":"\(r)/git/tags{/sha}","git_refs_url":"\(r)/git/refs{/sha}","trees_url":"\(r)/git/trees{/sha}",\
        "statuses_url":"\(r)/statuses/{sha}","languages_url":"\(r)/languages","stargazers_url":"\(r)/stargazers",\
        "contributors_url":"\(r)/contributors","subscribers_url":"\(r)/subscribers","subscription_url":"\(r)/subscription",\
        "commits_url":"\(r)/commits{/sha}","git_commits_url":"\(r)/git/commits{/sha}","comments_url":"\(r)/comments{/number}",\
        "issue_comment_url":"\(r)/issues/comments{/number}","contents_url":"\(r)/contents/{+path}",\
        "compare_url":"\(r)/compare/{base}...{head}","merges_url":"\(r)/merges","archive_url":"\(r)/{archive_format}{/ref}",\
        "downloads_url":"\(r)/downloads","issues_url":"\(r)/issues{/number}","pulls_url":"\(r)/pulls{/number}",\
        "milestones_url":"\(r)/milestones{/number}","notifications_url":"\(r)/notifications{?since,all,participating}",\
        "labels_url":"\(r)/labels{/name}","releases_url":"\(r)/releases{/id}","deployments_url":"\(r)/deployments",\
        "created_at":"2019-05-15T15:19:25Z","updated_at":"2026-12-04T20:11:54Z","pushed_at":"2026-12-04T22:02:17Z",\
        "git_url":"git://github.com/\(repository).git","ssh_url":"git@github.com:\(repository).git",\
        "clone_url":"https://github.com/\(repository).git","svn_url":"https://github.com/\(repository)","homepage":null,\
        "size":48213,"stargazers_count":12,"watchers_count":12,"language":"Swift","has_issues":true,"has_projects":true,\
        "has_downloads":true,"has_wiki":false,"has_pages":false,"has_discussions":false,"forks_count":1,"mirror_url":null,\
        "archived":false,"disabled":false,"open_issues_count":57,"license":null,"allow_forking":false,"is_template":false,\
        "web_commit_signoff_required":false,"topics":[],"visibility":"private","forks":1,"open_issues":57,"watchers":12,\
        "default_branch":"main","custom_properties":{}}
        """
        return """
        {"action":"labeled","issue":\(issue),"label":\(Self.label(label, id: 6417383603)),"repository":\(repo),\
        "organization":{"login":"\(owner)","id":21031067,"node_id":"MDEyOk9yZ2FuaXphdGlvbjIxMDMxMDY3",\
        "url":"https://api.github.com/orgs/\(owner)","repos_url":"https://api.github.com/orgs/\(owner)/repos",\
        "events_url":"https://api.github.com/orgs/\(owner)/events","hooks_url":"https://api.github.com/orgs/\(owner)/hooks",\
        "issues_url":"https://api.github.com/orgs/\(owner)/issues","members_url":"https://api.github.com/orgs/\(owner)/members{/member}",\
        "public_members_url":"https://api.github.com/orgs/\(owner)/public_members{/member}",\
        "avatar_url":"https://avatars.githubusercontent.com/u/21031067?v=4","description":""},\
        "sender":\(user("octocat", id: 583231))}
        """
    }
}
