import KubeAPI
import Metrics

/// The controller's metrics: `controller_reconcile_total{controller,result}`,
/// `controller_reconcile_time_seconds{controller}` (the watchers count their own restarts,
/// `WatcherMetrics`).
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
}
