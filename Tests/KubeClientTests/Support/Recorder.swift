import KubeClient
import Synchronization

/// Collects values from concurrent callbacks for later inspection.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ v: Value) { values.withLock { $0.append(v) } }
    var all: [Value] { values.withLock { $0 } }
}

/// A retry policy that records its sleeps instead of sleeping, with fixed jitter.
func recordingPolicy(_ sleeps: Recorder<Duration>, maxAttempts: Int = 4) -> RetryPolicy {
    RetryPolicy(maxAttempts: maxAttempts, sleeper: { sleeps.append($0) }, random: { 0.5 })
}
