import KubeAPI
import KubeClient

/// Resources and waits the admission/validation conformance tests share (secrets, service accounts,
/// roles and role bindings are declared once, in RBACSupport.swift).
extension ConformanceTarget {
    static let quotas = ResourceDescriptor(group: "", version: "v1", plural: "resourcequotas", kind: "ResourceQuota", namespaced: true)
    static let limitRanges = ResourceDescriptor(group: "", version: "v1", plural: "limitranges", kind: "LimitRange", namespaced: true)
    static let events = ResourceDescriptor(group: "", version: "v1", plural: "events", kind: "Event", namespaced: true)
    static let networkPolicies = ResourceDescriptor(group: "networking.k8s.io", version: "v1", plural: "networkpolicies",
                                                    kind: "NetworkPolicy", namespaced: true)
    static let leases = ResourceDescriptor(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)

    /// Waits (watching, up to 90 s) until the named object satisfies `done`; returns it.
    @discardableResult
    func waitFor(_ r: ResourceDescriptor, _ name: String, _ done: @Sendable (JSONValue) -> Bool) async throws -> JSONValue? {
        if let now = try? await client.get(r, namespace: namespace, name: name), done(now) { return now }
        let events = client.watch(r, namespace: namespace, options: WatchOptions(fieldSelector: "metadata.name=\(name)", timeoutSeconds: 90))
        for try await event in events {
            switch event {
            case .added(let o), .modified(let o): if done(o) { return o }
            default: continue
            }
        }
        return nil
    }

    /// Waits (watching, up to 120 s) for an object of `r` in the namespace that satisfies `done`.
    @discardableResult
    func waitForAny(_ r: ResourceDescriptor, _ done: @Sendable (JSONValue) -> Bool) async throws -> JSONValue? {
        let events = client.watch(r, namespace: namespace, options: WatchOptions(timeoutSeconds: 120))
        for try await event in events {
            switch event {
            case .added(let o), .modified(let o): if done(o) { return o }
            default: continue
            }
        }
        return nil
    }

    /// Waits until the namespace's `default` ServiceAccount exists (created asynchronously on a real cluster).
    func waitForDefaultServiceAccount() async throws {
        try await waitFor(Self.serviceAccounts, "default") { _ in true }
    }

    func pod(_ name: String, containers: JSONValue = [["name": "c", "image": "busybox:1.36"]], spec extra: JSONValue = [:]) -> JSONValue {
        var spec = extra
        spec["containers"] = containers
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    static func causes(_ e: KubeError?) -> [StatusCause] {
        if case .invalid(_, _, _, let causes)? = e { return causes }
        return []
    }

    static func message(_ e: KubeError?) -> String {
        switch e {
        case .forbidden(_, _, let m)?, .invalid(_, _, let m, _)?, .conflict(_, _, let m)?, .server(_, _, let m)?: m
        default: ""
        }
    }
}
