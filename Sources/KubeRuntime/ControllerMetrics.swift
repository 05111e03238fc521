import KubeAPI
import Metrics

/// The controller's metrics: `controller_reconcile_total{controller,result}`,
/// `controller_reconcile_time_seconds{controller}` and `watch_restarts_total{resource,reason}`.
struct ControllerMetrics: Sendable {
    enum Result: String { case success, error }

    let name: String
    let factory: any MetricsFactory
    let success: Counter
    let failure: Counter
    let reconcileTime: Metrics.Timer

    init(name: String, factory: any MetricsFactory) {
        self.name = name
        self.factory = factory
        success = Counter(label: "controller_reconcile_total",
                          dimensions: [("controller", name), ("result", "success")], factory: factory)
        failure = Counter(label: "controller_reconcile_total",
                          dimensions: [("controller", name), ("result", "error")], factory: factory)
        reconcileTime = Metrics.Timer(label: "controller_reconcile_time_seconds", dimensions: [("controller", name)],
                                      preferredDisplayUnit: .seconds, factory: factory)
    }

    func reconciled(_ result: Result) {
        switch result {
        case .success: success.increment()
        case .error: failure.increment()
        }
    }

    func watchError(_ resource: ResourceDescriptor, _ error: WatcherError) {
        let reason = switch error.kind {
        case .gone: "gone"
        case .idle: "idle"
        case .failed: "error"
        }
        Counter(label: "watch_restarts_total", dimensions: [("resource", resource.description), ("reason", reason)],
                factory: factory).increment()
    }
}
