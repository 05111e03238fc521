import KubeAPI
@testable import KubeRuntime

/// An in-memory Lease API with optimistic concurrency, shared by several electors; a candidate
/// can be partitioned away (all its calls fail) to simulate a crashed or isolated leader.
final class FakeLeaseStore: Sendable {
    struct State: Sendable {
        var lease: Lease?
        var rv = 0
        var partitioned: Set<String> = []
        var writes: [String] = []
        /// Replaces that first find the Lease changed under them (a raced write), then conflict.
        var conflictsToInject = 0
    }
    let state = Locked(State())

    func client(for identity: String) -> FakeLeaseClient { FakeLeaseClient(store: self, identity: identity) }

    var lease: Lease? { state.value.lease }
    var holder: String? { state.value.lease?.spec?.holderIdentity }
}

struct FakeLeaseClient: LeaseClient {
    let store: FakeLeaseStore
    let identity: String

    private func check(_ s: FakeLeaseStore.State) throws {
        if s.partitioned.contains(identity) { throw FakeTransportError() }
    }

    func get(namespace: String, name: String) async throws -> Lease? {
        try store.state.withLock { s in try check(s); return s.lease }
    }

    func create(_ lease: Lease) async throws -> Lease {
        try store.state.withLock { s in
            try check(s)
            if s.lease != nil { throw Status(message: "already exists", reason: "AlreadyExists", code: 409) }
            s.rv += 1
            var l = lease
            l.metadata.resourceVersion = "\(s.rv)"
            s.lease = l
            s.writes.append("create:\(identity)")
            return l
        }
    }

    func replace(_ lease: Lease) async throws -> Lease {
        try store.state.withLock { s in
            try check(s)
            guard let current = s.lease else { throw Status(message: "not found", reason: "NotFound", code: 404) }
            if s.conflictsToInject > 0 {
                s.conflictsToInject -= 1
                s.rv += 1
                s.lease?.metadata.resourceVersion = "\(s.rv)"
                throw Status(message: "conflict", reason: "Conflict", code: 409)
            }
            if current.metadata.resourceVersion != lease.metadata.resourceVersion {
                throw Status(message: "conflict", reason: "Conflict", code: 409)
            }
            s.rv += 1
            var l = lease
            l.metadata.resourceVersion = "\(s.rv)"
            s.lease = l
            s.writes.append("replace:\(identity):\(l.spec?.holderIdentity ?? "")")
            return l
        }
    }
}
