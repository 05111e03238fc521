/// What the `Manager` needs from a controller, whatever its object type.
public protocol ManagedController: Sendable {
    var name: String { get }
    /// Whether every cache has completed its first list.
    var cachesReady: Bool { get }
    /// Runs the watches feeding the caches and the queue until cancelled (leader or not).
    func runCaches() async
    /// Runs the workers (after the caches are ready) until `shutDown()` drains them or cancellation.
    func runWorkers() async
    /// Stops handing out keys; in-flight reconciles finish.
    func shutDown()
}

extension Controller: ManagedController {}
