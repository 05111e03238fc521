import KubeAPI
import Runs
import Testing
import TestSupport
@testable import KubeClient

/// Random values (SplitMix, fixed seeds) through the writer and the Codable path: strings over an
/// alphabet of characters that need escaping or several UTF-8 bytes, integers at and near the
/// extremes, optionals present or absent at random.
@Suite struct JSONWritingRandomTests {
    struct Gen {
        var rng: SplitMix
        static let alphabet: [Character] = ["a", "Z", "0", "-", ".", "/", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{8}",
                                            "\u{C}", "\u{1F}", "\u{7F}", "é", "✓", "😀", "\u{2028}"]

        mutating func bool() -> Bool { rng.next() & 1 == 0 }
        mutating func string() -> String {
            String((0..<Int(rng.next() % 12)).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] })
        }
        mutating func maybe<T>(_ make: (inout Gen) -> T) -> T? { bool() ? make(&self) : nil }
        mutating func int64() -> Int64 {
            switch rng.next() % 4 {
            case 0: return [Int64.min, Int64.max, 0, -1, 1, 9, 10, -10][Int(rng.next() % 8)]
            case 1: return Int64(bitPattern: rng.next())
            default: return Int64(bitPattern: rng.next()) >> Int64(rng.next() % 63)
            }
        }
        mutating func int32() -> Int32 { Int32(truncatingIfNeeded: int64()) }
        mutating func strings() -> [String] { (0..<Int(rng.next() % 4)).map { _ in string() } }
        mutating func map() -> [String: String] {
            var m: [String: String] = [:]
            for _ in 0..<Int(rng.next() % 4) { m[string()] = string() }
            return m
        }
        mutating func time() -> KubeTime {
            KubeTime(secondsSince1970: Double(rng.next() % 4_000_000_000) + Double(rng.next() % 1_000_000) / 1e6,
                     precision: bool() ? .micro : .seconds)
        }

        mutating func meta() -> ObjectMeta {
            var m = ObjectMeta(name: maybe { $0.string() }, generateName: maybe { $0.string() }, namespace: maybe { $0.string() },
                               labels: maybe { $0.map() }, annotations: maybe { $0.map() },
                               ownerReferences: maybe { g in (0..<Int(g.rng.next() % 3)).map { _ in
                                   OwnerReference(apiVersion: g.string(), kind: g.string(), name: g.string(), uid: g.string(),
                                                  controller: g.maybe { $0.bool() }, blockOwnerDeletion: g.maybe { $0.bool() })
                               } },
                               finalizers: maybe { $0.strings() })
            m.uid = maybe { $0.string() }
            m.resourceVersion = maybe { $0.string() }
            m.generation = maybe { $0.int64() }
            m.creationTimestamp = maybe { $0.time() }
            m.deletionTimestamp = maybe { $0.time() }
            m.deletionGracePeriodSeconds = maybe { $0.int64() }
            return m
        }

        mutating func condition() -> Condition {
            Condition(type: string(), status: string(), reason: maybe { $0.string() }, message: maybe { $0.string() },
                      lastTransitionTime: maybe { $0.time() }, lastProbeTime: maybe { $0.time() }, lastUpdateTime: maybe { $0.time() },
                      observedGeneration: maybe { $0.int64() })
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 10_000])
    func randomObjectsWriteWhatCodableWrites(seed: UInt64) throws {
        var g = Gen(rng: SplitMix(seed: seed))
        for _ in 0..<150 {
            try JSONWritingDifferentialTests.expectSameBody(
                Secret(metadata: g.meta(), type: g.maybe { $0.string() }, data: g.maybe { $0.map() },
                       stringData: g.maybe { $0.map() }, immutable: g.maybe { $0.bool() }))
            try JSONWritingDifferentialTests.expectSameBody(
                RunNamespace(metadata: g.meta(),
                             spec: RunNamespaceSpec(repository: g.string(), issue: g.int64(), stage: Stage.allCases.randomElement(using: &g.rng)!,
                                                    role: Role.allCases.randomElement(using: &g.rng)!, mode: .fullEnv,
                                                    ttl: RunDuration(seconds: Int64(g.rng.next() % 10_000_000)), retain: g.maybe { $0.bool() }),
                             status: g.maybe { g in
                                 RunNamespaceStatus(phase: RunNamespacePhase.allCases.randomElement(using: &g.rng), leaseExpiresAt: g.maybe { $0.time() },
                                                    leaseRenewedAt: g.maybe { $0.time() }, renewals: g.maybe { $0.int64() },
                                                    activeRuns: g.maybe { $0.strings() }, lastRun: g.maybe { $0.string() },
                                                    conditions: g.maybe { g in [g.condition(), g.condition()] })
                             }))
            try JSONWritingDifferentialTests.expectSameBody(
                Event(metadata: g.meta(), eventTime: MicroTime(g.time()),
                      series: g.maybe { g in EventSeries(count: g.int32(), lastObservedTime: MicroTime(g.time())) },
                      reportingController: g.maybe { $0.string() }, note: g.maybe { $0.string() }, type: g.maybe { $0.string() }))
            try JSONWritingDifferentialTests.expectSame(
                JobStatus(active: g.maybe { $0.int32() }, succeeded: g.maybe { $0.int32() }, failed: g.maybe { $0.int32() },
                          ready: g.maybe { $0.int32() }, startTime: g.maybe { $0.time() }, completionTime: g.maybe { $0.time() },
                          conditions: g.maybe { g in (0..<Int(g.rng.next() % 3)).map { _ in g.condition() } }))
        }
    }
}
