import KubeAPI

extension JSONValue {
    /// The `i`th element of an array (nil when out of range or not an array).
    subscript(item i: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(i) else { return nil }
        return a[i]
    }
}
