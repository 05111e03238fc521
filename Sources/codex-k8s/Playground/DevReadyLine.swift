import Foundation
import Synchronization

/// Prints the playground's banner once both HTTP servers listen (the operator's metrics endpoint
/// and the webhook, which also waits for its AgentRun cache), so a script or test that waits for
/// the `ready` line can use every port and command it names at once.
final class DevReadyLine: Sendable {
    private let state = Mutex<(metrics: Int?, webhook: Int?, printed: Bool)>((nil, nil, false))
    private let banner: @Sendable (_ metricsPort: Int, _ webhookPort: Int) -> String

    init(banner: @escaping @Sendable (_ metricsPort: Int, _ webhookPort: Int) -> String) {
        self.banner = banner
    }

    func metricsListening(on port: Int) { update { $0.metrics = port } }
    func webhookListening(on port: Int) { update { $0.webhook = port } }

    private func update(_ change: (inout (metrics: Int?, webhook: Int?, printed: Bool)) -> Void) {
        let ports = state.withLock { s -> (Int, Int)? in
            change(&s)
            guard !s.printed, let m = s.metrics, let w = s.webhook else { return nil }
            s.printed = true
            return (m, w)
        }
        if let (m, w) = ports { DevCommand.say(banner(m, w)) }
    }
}
