import ArgumentParser
import Foundation
import KubeClient
import Runs

/// `--kube-transport automatic|curl` (an unknown value is refused, naming the two).
extension KubeTransportChoice: ExpressibleByArgument {}

/// The option parsing `codex-k8s operator` does, shared with `codex-k8s dev`.
extension OperatorCommand {
    /// Reads and validates an operator configuration file; a `ValidationError` lists every problem.
    static func loadConfig(_ path: String) throws -> OperatorConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path): cannot read the file")
        }
        switch OperatorConfig.load(text, file: path) {
        case .success(let c): return c
        case .failure(let errors): throw ValidationError("\(errors)")
        }
    }

    /// Splits `host:port` (the host may itself contain colons); a `ValidationError` otherwise.
    static func parseBind(_ bind: String) throws -> (host: String, port: Int) {
        let parts = bind.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last!) else {
            throw ValidationError("--metrics-bind must be host:port, got \(bind)")
        }
        return (parts.dropLast().joined(separator: ":"), port)
    }
}
