/// `metav1.MicroTime`: a timestamp always written with microseconds, as Lease and
/// events.k8s.io Event fields require (`2024-05-01T10:00:00.000000Z`).
public struct MicroTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var time: KubeTime

    public init(_ time: KubeTime) {
        self.time = KubeTime(secondsSince1970: time.secondsSince1970, precision: .micro)
    }

    public init(secondsSince1970: Double) {
        self.init(KubeTime(secondsSince1970: secondsSince1970))
    }

    public static func now() -> MicroTime { MicroTime(KubeTime.now(precision: .micro)) }

    public var secondsSince1970: Double { time.secondsSince1970 }

    public func adding(seconds: Double) -> MicroTime { MicroTime(time.adding(seconds: seconds)) }

    public static func < (a: MicroTime, b: MicroTime) -> Bool { a.time < b.time }

    public var description: String { time.rfc3339 }

    public init(from decoder: any Decoder) throws {
        self.init(try KubeTime(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try KubeTime(secondsSince1970: time.secondsSince1970, precision: .micro).encode(to: encoder)
    }
}
