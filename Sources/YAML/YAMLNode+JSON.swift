import KubeAPI

extension YAMLNode {
    /// Converts the tree to JSON with YAML 1.2 core-schema typing of plain scalars
    /// (null, booleans, integers, floats); quoted scalars stay strings.
    ///
    /// - Throws: `YAMLError` for mapping keys that are not scalars and for non-finite floats,
    ///   which JSON cannot represent.
    public func jsonValue(file: String? = nil) throws(YAMLError) -> JSONValue {
        switch value {
        case .scalar(let s, let plain):
            if !plain { return tag == "tag:yaml.org,2002:int" ? (int.map(JSONValue.int) ?? .string(s)) : .string(s) }
            if isNull { return .null }
            if let b = bool { return .bool(b) }
            if let i = int { return .int(i) }
            if let d = double, s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                guard d.isFinite else { throw YAMLError(file: file, mark: mark, message: "JSON cannot represent \(s)") }
                return .double(d)
            }
            return .string(s)
        case .sequence(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try item.jsonValue(file: file)) }
            return .array(out)
        case .mapping(let pairs):
            var out: [String: JSONValue] = [:]
            for pair in pairs {
                guard let k = pair.key.scalar else {
                    throw YAMLError(file: file, mark: pair.key.mark, message: "mapping keys must be scalars")
                }
                out[k] = try pair.value.jsonValue(file: file)
            }
            return .object(out)
        }
    }
}
