import KubeAPI

/// The Lease calls leader election needs (the `Lease` model is KubeAPI's);
/// `KubeClientLeaseClient` adapts KubeClient.
public protocol LeaseClient: Sendable {
    /// The Lease, or `nil` if it does not exist.
    func get(namespace: String, name: String) async throws -> Lease?
    /// Creates the Lease; throws if it already exists.
    func create(_ lease: Lease) async throws -> Lease
    /// Replaces the Lease, conditional on `metadata.resourceVersion`; throws on conflict.
    func replace(_ lease: Lease) async throws -> Lease
}
