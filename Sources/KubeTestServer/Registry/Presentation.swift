import KubeAPI

/// Objects between storage and a served API version: the `apiVersion` of the version asked for,
/// and — for a resource that is another API for a stored one (`ResourceType.sharesStorage`) — the
/// field conversion. events.k8s.io/v1 events are stored as core/v1 events, converted as
/// `pkg/apis/events/v1` does: note ↔ message, regarding ↔ involvedObject, reportingController ↔
/// reportingComponent, deprecatedSource ↔ source, deprecatedFirstTimestamp ↔ firstTimestamp,
/// deprecatedLastTimestamp ↔ lastTimestamp, deprecatedCount ↔ count (the rest has the same names).
enum Presentation {
    /// (core/v1 field, events.k8s.io/v1 field)
    static let eventFields: [(core: String, events: String)] = [
        ("message", "note"), ("involvedObject", "regarding"), ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"), ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"), ("count", "deprecatedCount"),
    ]

    static func isEventsAPI(_ type: ResourceType) -> Bool { type.sharesStorage == "events" }

    /// The stored object as `type` serves it.
    static func present(_ object: JSONValue, as type: ResourceType) -> JSONValue {
        var o = object
        if isEventsAPI(type) {
            for (core, events) in eventFields {
                let v = o[core]
                o[core] = nil
                if let v { o[events] = v }
            }
        }
        if o["apiVersion"]?.stringValue != type.apiVersion { o["apiVersion"] = .string(type.apiVersion) }
        return o
    }

    /// Whether `present` changes more than nothing for objects stored as `storedAPIVersion`.
    static func isIdentity(_ type: ResourceType, storedAPIVersion: String?) -> Bool {
        !isEventsAPI(type) && storedAPIVersion == type.apiVersion
    }

    /// A body written through `type`, in its stored form (apiVersion is set by the caller).
    static func toStorage(_ body: JSONValue, for type: ResourceType) -> JSONValue {
        guard isEventsAPI(type) else { return body }
        var o = body
        for (core, events) in eventFields {
            let v = o[events]
            o[events] = nil
            if let v { o[core] = v }
        }
        return o
    }
}
