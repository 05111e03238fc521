import Foundation
import KubeAPI
import KubeClient

/// Decoding watch events of ~2 KB Pod objects on one core: framing + JSON parse + typed decode.
struct MetaEvent: Decodable {
    struct Object: Decodable { var metadata: ObjectMeta }
    var type: String
    var object: Object
}

/// The operator's spec-less Pod form (metadata and status, `spec` skipped), decoded from the tape
/// without `Codable` (`TapeDecodable`) …
struct StatusPod: TapeDecodable, Sendable {
    var metadata: ObjectMeta
    var status: PodStatus?

    init(tape: TapeValue) throws {
        let o = try tape.object()
        metadata = try o.decode("metadata")
        status = try o.decodeIfPresent("status")
    }
}

/// … and the same form through `Codable` (not `TapeDecodable`), for comparison in the same binary.
struct CodableStatusPod: Decodable, Sendable {
    var metadata: ObjectMeta
    var status: PodStatus?
}

enum DecodeBenchmark {
    static func event(_ i: Int) -> [UInt8] {
        let labels = (0..<8).map { "\"label-\($0)\":\"value-\(i)-\($0)\"" }.joined(separator: ",")
        let env = (0..<6).map { "{\"name\":\"VAR_\($0)\",\"value\":\"some-value-\(i)-\($0)\"}" }.joined(separator: ",")
        let json = """
        {"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"agent-run-\(i)","namespace":"codex-run-\(i % 50)",\
        "uid":"5f0c2a4e-1b7d-4c7e-9a51-\(String(format: "%012d", i))","resourceVersion":"\(100000 + i)","generation":1,\
        "creationTimestamp":"2026-11-21T20:00:00Z","labels":{\(labels)},"annotations":{"codex-k8s.dev/repository":"org/repo",\
        "codex-k8s.dev/lease-expires-at":"2026-11-22T20:00:00Z"},"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job",\
        "name":"agent-run-\(i)","uid":"0d6e1f0a-aaaa-bbbb-cccc-\(String(format: "%012d", i))","controller":true,"blockOwnerDeletion":true}]},\
        "spec":{"restartPolicy":"Never","serviceAccountName":"codex-agent","securityContext":{"runAsNonRoot":true,\
        "seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"agent","image":"ghcr.io/org/agent:1.2.3",\
        "command":["/bin/agent"],"args":["--stage","dev","--issue","\(i)"],"env":[\(env)],"resources":{"limits":{"cpu":"2","memory":"4Gi"},\
        "requests":{"cpu":"500m","memory":"1Gi"}},"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]},\
        "status":{"phase":"Running","startTime":"2026-11-21T20:00:05Z","conditions":[{"type":"Ready","status":"True",\
        "lastTransitionTime":"2026-11-21T20:00:09Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-11-21T20:00:01Z"}],\
        "containerStatuses":[{"name":"agent","ready":true,"restartCount":0,"image":"ghcr.io/org/agent:1.2.3","started":true,\
        "state":{"running":{"startedAt":"2026-11-21T20:00:08Z"}}}]}}}
        """
        return Array(json.utf8) + [10]
    }

    /// Runs every decode case, or only those whose label contains `only` (for profiling one path).
    static func run(only: String? = nil) {
        let distinct = (0..<1000).map(event)
        let avg = distinct.reduce(0) { $0 + $1.count } / distinct.count
        // One stream, cut into 16 KiB chunks as curl would deliver it.
        var stream: [UInt8] = []
        for e in distinct { stream += e }
        let rounds = 100
        let decoder = WatchEventDecoder<Pod>()

        func measure(_ label: String, _ body: ([UInt8]) throws -> Void) {
            if let only, !label.contains(only) { return }
            var framer = LineFramer()
            var decoded = 0
            let start = ContinuousClock.now
            let cpuStart = ProcessStats.threadCPUSeconds
            for _ in 0..<rounds {
                var i = 0
                while i < stream.count {
                    let end = min(stream.count, i + 16384)
                    stream[i..<end].withUnsafeBytes { chunk in
                        try? framer.append(chunk) { record in
                            do {
                                try body(record)
                                decoded += 1
                            } catch { fatalError("decode failed: \(error)") }
                        }
                    }
                    i = end
                }
            }
            let elapsed = ContinuousClock.now - start
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = ProcessStats.threadCPUSeconds - cpuStart
            print("decode[\(label)]: \(decoded) events of ~\(avg) B: \(Int(Double(decoded) / cpu)) events per CPU-second "
                  + "(\(String(format: "%.1f", Double(decoded * avg) / cpu / 1e6)) MB/s; wall \(String(format: "%.2f", wall)) s, "
                  + "CPU \(String(format: "%.2f", cpu)) s)")
        }

        measure("JSONTape + JSONBytesDecoder → WatchEvent<Pod> (the client's watch path)") { record in
            _ = try decoder.decode(record)
        }
        measure("JSONBytesDecoder → ObjectMeta only") { record in
            _ = try JSONBytesDecoder().decode(MetaEvent.self, from: record)
        }
        let statusPods = WatchEventDecoder<StatusPod>()
        measure("spec-less Pod (metadata + status), TapeDecodable → WatchEvent<StatusPod>") { record in
            _ = try statusPods.decode(record)
        }
        let codableStatusPods = WatchEventDecoder<CodableStatusPod>()
        measure("spec-less Pod (metadata + status), Codable → WatchEvent<CodableStatusPod>") { record in
            _ = try codableStatusPods.decode(record)
        }
        measure("JSONValue parser + JSONValueDecoder → WatchEvent<Pod>") { record in
            _ = try JSONValueDecoder().decode(WatchEvent<Pod>.self, from: try JSONValue(parsing: record))
        }
        measure("JSONValue parser only") { record in
            _ = try JSONValue(parsing: record)
        }
        let foundation = JSONDecoder()
        measure("Foundation JSONDecoder → WatchEvent<Pod> (comparison)") { record in
            _ = try foundation.decode(WatchEvent<Pod>.self, from: Data(record))
        }
    }
}
