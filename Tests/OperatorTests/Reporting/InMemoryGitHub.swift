import GitHub
import Synchronization

/// An in-memory `GitHubAPI` with GitHub's semantics for what the reporter uses: comments in
/// creation order served in pages of `pageSize`, ids that never come back after a deletion
/// (`.notFound` on edit), labels per issue, open issues for the resync; every call is recorded,
/// and queued failures (rate limits, outages) are returned by the next calls instead of an answer.
final class InMemoryGitHub: GitHubAPI {
    struct Call: Sendable, Hashable {
        var method: String
        var repository: String
        var number: Int?
        var commentID: Int64?
    }

    struct State: Sendable {
        var comments: [String: [GitHubComment]] = [:]
        var nextID: Int64 = 1000
        var labels: [String: Set<String>] = [:]
        var issues: [String: [GitHubIssue]] = [:]
        var calls: [Call] = []
        var pagesServed: [Int] = []
        var failures: [GitHubError] = []
        /// While true, every call waits (GitHub hangs) until `release()`.
        var holding = false
        var held: [CheckedContinuation<Void, Never>] = []
        var waiters: [(condition: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    let pageSize: Int
    private let state = Mutex(State())

    init(pageSize: Int = 30) { self.pageSize = pageSize }

    static func key(_ repository: String, _ number: Int) -> String { "\(repository.lowercased())#\(number)" }

    // MARK: test controls

    /// The next calls fail with these errors, in order (and are recorded).
    func fail(next errors: [GitHubError]) { state.withLock { $0.failures += errors } }

    /// Makes every call hang until `release()` (a GitHub that accepts connections and never answers).
    func hold() { state.withLock { $0.holding = true } }

    func release() {
        let held = state.withLock { s in
            s.holding = false
            defer { s.held = [] }
            return s.held
        }
        held.forEach { $0.resume() }
    }

    /// How many calls are hanging.
    var hanging: Int { state.withLock { $0.held.count } }

    /// Seeds comments written by someone else.
    func seed(repository: String, number: Int, bodies: [String]) {
        state.withLock { s in
            for body in bodies {
                s.nextID += 1
                s.comments[Self.key(repository, number), default: []].append(GitHubComment(id: s.nextID, body: body, authorLogin: "someone"))
            }
        }
    }

    /// Deletes a comment as a person on GitHub would.
    func delete(commentID: Int64) {
        state.withLock { s in
            for k in s.comments.keys { s.comments[k]?.removeAll { $0.id == commentID } }
        }
    }

    func setOpenIssues(_ repository: String, _ issues: [GitHubIssue]) {
        update { $0.issues[repository.lowercased()] = issues }
    }

    var calls: [Call] { state.withLock { $0.calls } }
    func calls(_ method: String) -> [Call] { calls.filter { $0.method == method } }
    var pagesServed: [Int] { state.withLock { $0.pagesServed } }
    func comments(_ repository: String, _ number: Int) -> [GitHubComment] { state.withLock { $0.comments[Self.key(repository, number)] ?? [] } }
    func labels(_ repository: String, _ number: Int) -> Set<String> { state.withLock { $0.labels[Self.key(repository, number)] ?? [] } }

    /// The comments of a thread that start with `prefix` (a run's marker).
    func comments(_ repository: String, _ number: Int, startingWith prefix: String) -> [GitHubComment] {
        comments(repository, number).filter { $0.body.hasPrefix(prefix) }
    }

    /// Returns once `condition` holds (checked after every call; no sleeping).
    func waitUntil(_ condition: @escaping @Sendable (State) -> Bool) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if condition(s) { return true }
                s.waiters.append((condition, c))
                return false
            }
            if ready { c.resume() }
        }
    }

    func waitForCalls(_ count: Int) async { await waitUntil { $0.calls.count >= count } }

    private func update<T>(_ body: (inout State) -> T) -> T {
        let (result, ready) = state.withLock { s -> (T, [CheckedContinuation<Void, Never>]) in
            let r = body(&s)
            let snapshot = s
            let ready = s.waiters.filter { $0.condition(snapshot) }.map(\.continuation)
            s.waiters.removeAll { $0.condition(snapshot) }
            return (r, ready)
        }
        ready.forEach { $0.resume() }
        return result
    }

    /// Records the call (after any hold); returns a queued failure, if any.
    private func record(_ call: Call) async -> GitHubError? {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let wait = update { s -> Bool in
                guard s.holding else { return false }
                s.held.append(c)
                return true
            }
            if !wait { c.resume() }
        }
        return update { s in
            s.calls.append(call)
            return s.failures.isEmpty ? nil : s.failures.removeFirst()
        }
    }

    // MARK: GitHubAPI

    func listComments(repository: String, number: Int) async throws(GitHubError) -> [GitHubComment] {
        if let e = await record(Call(method: "listComments", repository: repository, number: number)) { throw e }
        return update { s in
            let all = s.comments[Self.key(repository, number)] ?? []
            s.pagesServed.append(max(1, (all.count + pageSize - 1) / pageSize))
            return all
        }
    }

    func createComment(repository: String, number: Int, body: String) async throws(GitHubError) -> GitHubComment {
        if let e = await record(Call(method: "createComment", repository: repository, number: number)) { throw e }
        return update { s in
            s.nextID += 1
            let c = GitHubComment(id: s.nextID, body: body, authorLogin: "codex-k8s[bot]")
            s.comments[Self.key(repository, number), default: []].append(c)
            return c
        }
    }

    func updateComment(repository: String, commentID: Int64, body: String) async throws(GitHubError) -> GitHubComment {
        if let e = await record(Call(method: "updateComment", repository: repository, commentID: commentID)) { throw e }
        let updated: GitHubComment? = update { s in
            for (k, list) in s.comments {
                if let i = list.firstIndex(where: { $0.id == commentID }) {
                    s.comments[k]![i].body = body
                    return s.comments[k]![i]
                }
            }
            return nil
        }
        guard let updated else { throw .notFound }
        return updated
    }

    func addLabels(repository: String, number: Int, labels: [String]) async throws(GitHubError) {
        if let e = await record(Call(method: "addLabels", repository: repository, number: number)) { throw e }
        update { s in s.labels[Self.key(repository, number), default: []].formUnion(labels) }
    }

    func removeLabel(repository: String, number: Int, label: String) async throws(GitHubError) {
        if let e = await record(Call(method: "removeLabel", repository: repository, number: number)) { throw e }
        update { s in _ = s.labels[Self.key(repository, number)]?.remove(label) }
    }

    func listOpenIssues(repository: String) async throws(GitHubError) -> [GitHubIssue] {
        if let e = await record(Call(method: "listOpenIssues", repository: repository)) { throw e }
        return update { s in
            (s.issues[repository.lowercased()] ?? []).map { issue in
                var i = issue
                i.labels = Array(Set(issue.labels).union(s.labels[Self.key(repository, issue.number)] ?? [])).sorted()
                return i
            }
        }
    }
}
