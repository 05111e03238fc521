// KubeClient benchmarks: `swift run -c release KubeClientBenchmarks [decode|gets|watches]`.
// Numbers go to docs/performance.md (## KubeClient).
import Foundation

let args = CommandLine.arguments.dropFirst()
switch args.first {
case "decode":
    DecodeBenchmark.run(only: args.dropFirst().first)
case "gets":
    await ConcurrentGetsBenchmark.run()
case "watches":
    await WatchMemoryBenchmark.run()
case "watch-client":
    await WatchMemoryBenchmark.client(url: args.dropFirst().first ?? "", count: Int(args.dropFirst(2).first ?? "50") ?? 50)
case nil:
    DecodeBenchmark.run()
    await ConcurrentGetsBenchmark.run()
    await WatchMemoryBenchmark.run()
default:
    print("usage: KubeClientBenchmarks [decode [LABEL-SUBSTRING]|gets|watches]")
    exit(2)
}
