import KubeAPI

/// Walks a fixture with `Mirror` and lists every optional that is `nil` and every collection that
/// is empty, by path: a "fully populated" fixture must have none, so a field added to a model later
/// (and so absent from the fixture) makes the differential tests fail until the fixture, and with it
/// the hand-written writer, covers it.
enum FixtureCompleteness {
    static func gaps(in value: Any, path: String = "") -> [String] {
        let m = Mirror(reflecting: value)
        switch m.displayStyle {
        case .optional:
            guard let wrapped = m.children.first else { return [path.isEmpty ? "(root)" : path] }
            return gaps(in: wrapped.value, path: path)
        case .collection, .set:
            if m.children.isEmpty { return ["\(path) (empty)"] }
            return m.children.enumerated().flatMap { gaps(in: $0.element.value, path: "\(path)[\($0.offset)]") }
        case .dictionary:
            if m.children.isEmpty { return ["\(path) (empty)"] }
            return m.children.flatMap { pair -> [String] in
                let kv = Mirror(reflecting: pair.value).children.map(\.value)
                return kv.count == 2 ? gaps(in: kv[1], path: "\(path)[\(kv[0])]") : []
            }
        case .struct, .class, .enum, .tuple:
            // Raw JSON (pod volumes) is data, not a model: its members are not fields.
            if value is JSONValue { return [] }
            return m.children.flatMap { gaps(in: $0.value, path: path.isEmpty ? ($0.label ?? "?") : "\(path).\($0.label ?? "?")") }
        default:
            return []
        }
    }
}
