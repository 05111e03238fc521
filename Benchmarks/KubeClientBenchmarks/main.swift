// KubeClient benchmarks: `swift run -c release KubeClientBenchmarks [decode|encode|gets|watches [--mappings]]`.
// Numbers go to docs/performance.md (## KubeClient).
import Foundation

let args = CommandLine.arguments.dropFirst()
switch args.first {
case "decode":
    DecodeBenchmark.run(only: args.dropFirst().first)
case "encode":
    EncodeBenchmark.run()
case "gets":
    await ConcurrentGetsBenchmark.run()
case "watches":
    await WatchMemoryBenchmark.run(mappings: args.dropFirst().first == "--mappings")
case nil:
    DecodeBenchmark.run()
    await ConcurrentGetsBenchmark.run()
    await WatchMemoryBenchmark.run()
default:
    print("usage: KubeClientBenchmarks [decode [LABEL-SUBSTRING]|encode|gets|watches [--mappings]]")
    exit(2)
}
