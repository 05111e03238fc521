import Foundation
import Synchronization

/// A step of an end-to-end scenario did not happen in time.
struct E2ETimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body` and returns its value, or throws `E2ETimeout` after `seconds` (the body's task is
/// then cancelled and left to end on its own). For steps that wait on something without a
/// deadline of their own (a log line, a request reaching the server); generous deadlines only —
/// they catch a hang, they do not time anything.
func within<T: Sendable>(_ seconds: Double, _ what: String,
                         _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let race = Race<T>()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        race.begin(continuation)
        race.add(Task {
            do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
        })
        race.add(Task {
            try? await Task.sleep(for: .seconds(seconds))
            if !Task.isCancelled { race.finish(.failure(E2ETimeout(what: what))) }
        })
    }
}

/// The body and the timer of `within`: the first to finish resumes the caller and cancels the other.
private final class Race<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool, tasks: [Task<Void, Never>])>(
        (nil, false, []))

    func begin(_ continuation: CheckedContinuation<T, any Error>) { state.withLock { $0.continuation = continuation } }

    func add(_ task: Task<Void, Never>) {
        let finished = state.withLock { s -> Bool in
            if !s.done { s.tasks.append(task) }
            return s.done
        }
        if finished { task.cancel() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, tasks) = state.withLock { s -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
            guard !s.done else { return (nil, []) }
            s.done = true
            defer { s.continuation = nil; s.tasks = [] }
            return (s.continuation, s.tasks)
        }
        for task in tasks { task.cancel() }
        continuation?.resume(with: result)
    }
}

/// Re-checks `condition` until it holds, every 100 ms, for at most `seconds`. Only for state that
/// offers nothing to wait on (an HTTP endpoint becoming ready, a row reaching the database);
/// Kubernetes objects are awaited through watches (`Cluster.waitUntil`).
func eventually(_ what: String, seconds: Double = 120,
                _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    if try await condition() { return }
    throw E2ETimeout(what: what)
}
