import KubeAPI

/// Decodes one watch record (`{"type":..., "object":...}`) into a `WatchEvent`.
///
/// Contract: ADDED/MODIFIED/DELETED/BOOKMARK become events; an ERROR record is thrown as the
/// `KubeError` its Status stands for (`.gone` for 410/Expired — the caller relists).
public struct WatchEventDecoder<Object: Decodable & Sendable>: Sendable {
    /// `Object` as `TapeDecodable`, if it is: looked up once per decoder, not per record.
    let tapeType: (any TapeDecodable.Type)?
    /// The record's plan: `object` scanned with `Object.skipPlan` (what `event` reads of an
    /// event's object is what `Object.init(tape:)` reads, or less: ERROR's Status, BOOKMARK's
    /// `metadata`, neither of which reads what a plan skips — `managedFields`, a spec-less `spec`).
    package let plan: JSONSkipPlan?

    public init() {
        tapeType = Object.self as? any TapeDecodable.Type
        plan = tapeType?.skipPlan.map { JSONSkipPlan(below: [("object", $0)]) }
    }

    /// Decodes straight from the record's bytes (`JSONBytesDecoder`, no `JSONValue` tree); a
    /// `TapeDecodable` object without `Codable` at all (`event(_:_:)`: same events and errors).
    public func decode(_ record: [UInt8]) throws(KubeError) -> WatchEvent<Object> {
        if let tapeType {
            // The event itself, an ERROR record thrown as `ErrorRecord`: no generic `Envelope`
            // value to build, copy and take apart (each a metadata lookup in this unspecialized code).
            do {
                return try JSONBytesDecoder.withTape(record, skipping: plan) { try Self.event(tapeType, TapeValue($0, 0)) }
            } catch let error as ErrorRecord {
                throw KubeError(status: error.status, httpCode: error.status?.code ?? 500)
            } catch {
                throw KubeError.decoding("watch event: \(error)")
            }
        }
        let event: Envelope
        do {
            event = try JSONBytesDecoder().decode(Envelope.self, from: record)
        } catch {
            throw KubeError.decoding("watch event: \(error)")
        }
        switch event {
        case .event(let e): return e
        case .error(let status): throw KubeError(status: status, httpCode: status?.code ?? 500)
        }
    }

    /// A record decoded in one pass: the event, or the Status of an ERROR record.
    enum Envelope: Decodable {
        case event(WatchEvent<Object>)
        case error(Status?)

        enum Keys: String, CodingKey { case type, object }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            if try c.decode(String.self, forKey: .type) == "ERROR" {
                self = .error(try? c.decode(Status.self, forKey: .object))
            } else {
                self = .event(try WatchEvent<Object>(from: decoder))
            }
        }
    }

    public func decode(_ value: JSONValue) throws(KubeError) -> WatchEvent<Object> {
        if value["type"]?.stringValue == "ERROR" {
            let status = value["object"].flatMap { try? JSONValueDecoder().decode(Status.self, from: $0) }
            throw KubeError(status: status, httpCode: status?.code ?? 500)
        }
        return try JSONCoding.decode(WatchEvent<Object>.self, from: value)
    }
}
