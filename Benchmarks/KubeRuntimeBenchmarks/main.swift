// KubeRuntime benchmarks: `swift run -c release KubeRuntimeBenchmarks [queue|store|latency|http|all|restarts]`
// (`restarts` runs only when named: it takes about a minute).
// Results go to docs/performance.md (## KubeRuntime). Each prints one line per measurement.
import Foundation
import KubeAPI
import KubeRuntime

let which = CommandLine.arguments.dropFirst().first ?? "all"

if which == "queue" || which == "all" { QueueBenchmark.run() }
if which == "store" || which == "all" { StoreBenchmark.run() }
if which == "latency" || which == "all" { await LatencyBenchmark.run() }
if which == "http" || which == "all" {
    do { try await HTTPLatencyBenchmark.run() } catch { print("http latency benchmark failed: \(error)") }
}
if which == "restarts" {
    do { try await RestartBenchmark.run() } catch { print("restart benchmark failed: \(error)") }
}
