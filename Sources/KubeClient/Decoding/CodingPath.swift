// Coding paths and keys shared by JSONValueDecoder and JSONBytesDecoder.

/// The coding path as a linked list: one small allocation per nested value instead of an array
/// copy per key; materialised as an array only when asked (errors, custom `init(from:)`).
final class PathNode {
    let parent: PathNode?
    let key: any CodingKey

    init(_ parent: PathNode?, _ key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func array(_ node: PathNode?, appending key: (any CodingKey)? = nil) -> [any CodingKey] {
        var out: [any CodingKey] = []
        var n = node
        while let current = n {
            out.append(current.key)
            n = current.parent
        }
        out.reverse()
        if let key { out.append(key) }
        return out
    }
}

/// Where a value sits: the parent's path node plus the key, turned into a `codingPath` only for errors.
struct Location {
    let parent: PathNode?
    let key: (any CodingKey)?

    var codingPath: [any CodingKey] { PathNode.array(parent, appending: key) }
    /// The node for decoding nested values below this location.
    var node: PathNode? { key.map { PathNode(parent, $0) } ?? parent }
}

/// A string key for dictionary members in error paths.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An array index in coding paths.
struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
