import Foundation
import Synchronization

/// Deletes every run the load generator saw created, one by one, `delay` after its creation:
/// DELETE of the run (the apiserver sets `deletionTimestamp`, the finalizer keeps it), then the
/// PATCH that removes the operator's finalizer (the run goes) — the same two writes per run as
/// `BurstJanitor`'s share of a DELETE collection plus its PATCH, but spread evenly at the
/// creation rate instead of in rounds (`--janitor paced`).
///
/// `connections` threads take the names in creation order; each sleeps until its run is due.
final class PacedJanitor: RunJanitor {
    static let delay: UInt64 = 1_000_000_000
    static let connections = 4

    struct Queue {
        var names: [(name: String, created: UInt64)] = []
        var head = 0

        mutating func pop() -> (name: String, created: UInt64)? {
            guard head < names.count else { return nil }
            defer {
                head += 1
                if head >= 4096 && head * 2 >= names.count {
                    names.removeFirst(head)
                    head = 0
                }
            }
            return names[head]
        }
    }

    let serverPort: Int
    let token: String
    private let queue = Mutex(Queue())
    private let deleted = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)

    init(serverPort: Int, token: String) {
        self.serverPort = serverPort
        self.token = token
    }

    var deletedCount: Int { deleted.load(ordering: .relaxed) }

    func created(_ name: String, at time: UInt64) {
        queue.withLock { $0.names.append((name, time)) }
    }

    func start() {
        for _ in 0..<Self.connections { Thread { self.work() }.start() }
    }

    func stop() { running.store(false, ordering: .relaxed) }

    private func work() {
        let connection = Connection(port: serverPort)
        let auth = "Host: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
        while running.load(ordering: .relaxed) {
            guard let next = queue.withLock({ $0.pop() }) else {
                usleep(5_000)
                continue
            }
            sleep(until: next.created + Self.delay)
            let delete = Array("DELETE \(JanitorRequests.runs)/\(next.name) HTTP/1.1\r\n\(auth)Content-Length: 0\r\n\r\n".utf8)
            do {
                let answer = try connection.roundTrip(delete)
                guard answer.status == 200 || answer.status == 202 else {
                    say("janitor: DELETE \(next.name): \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
                    continue
                }
                if try connection.roundTrip(JanitorRequests.releaseFinalizer(next.name, token: token)).status == 200 { deleted.add(1, ordering: .relaxed) }
            } catch {
                say("janitor: \(error)")
            }
        }
    }
}
