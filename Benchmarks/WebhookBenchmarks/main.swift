// Webhook adapter benchmarks (issue 12): `swift run -c release WebhookBenchmarks [decode [N]|e2e [options]]`.
// Numbers go to docs/performance.md (## Webhook adapter). `adapter` is the child process of `e2e`;
// the other one is `kube-test-server` (built next to this executable).
import Foundation

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "decode":
    DecodeBenchmark.run(count: args.dropFirst().first.flatMap(Int.init) ?? 100_000)
case "e2e":
    var options = EndToEndBenchmark.Options()
    var rest = args.dropFirst()
    while let flag = rest.popFirst() {
        let value = rest.popFirst() ?? ""
        switch flag {
        case "--connections": options.connections = Int(value) ?? options.connections
        case "--seconds": options.seconds = Double(value) ?? options.seconds
        case "--rate":
            options.rates = value.split(separator: ",").compactMap { Double($0) }
            options.rate = options.rates.first ?? options.rate
        case "--sustained": options.sustained = Int(value)
        case "--janitor":
            guard let mode = JanitorMode(rawValue: value) else {
                say("--janitor: one of \(JanitorMode.allCases.map(\.rawValue).joined(separator: ", "))")
                exit(2)
            }
            options.janitor = mode
        case "--trace": options.trace = value
        case "--memory": options.memoryDeliveries = Int(value) ?? options.memoryDeliveries
        case "--server-binary": options.serverBinary = value
        default:
            say("unknown option \(flag)")
            exit(2)
        }
    }
    do {
        try await EndToEndBenchmark.run(options)
    } catch {
        say("e2e failed: \(error)")
        exit(1)
    }
case "adapter" where args.count == 3:
    try await ChildModes.adapter(kubeconfig: args[1], port: Int(args[2]) ?? 0)
case nil:
    DecodeBenchmark.run()
    try await EndToEndBenchmark.run(EndToEndBenchmark.Options())
default:
    say("usage: WebhookBenchmarks [decode [N] | e2e [--connections 16] [--seconds 20] [--rate 1000[,R…]] [--sustained N] [--janitor bursts|paced|off] "
        + "[--trace FILE] [--memory 100000] [--server-binary PATH]]")
    exit(2)
}
