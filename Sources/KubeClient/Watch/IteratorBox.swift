/// Lets the single consumer of an unfolding stream own a non-Sendable iterator (KubeClient's
/// watches, KubeRuntime's watch sources: the one `@unchecked Sendable` box they share).
/// Safe because `AsyncThrowingStream(unfolding:)` never calls its closure concurrently: `next`
/// is only ever called by that closure, one call at a time.
package final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable {
    private var base: Base
    package init(_ base: Base) { self.base = base }
    package func next() async throws -> Base.Element? { try await base.next() }
}
