/// A coding key of a tape position: an object member's name or an array index. Only built for
/// errors (`TapeValue.codingPath`); compares like the keys `Codable` decoders put in their paths
/// (`stringValue`, `intValue`).
package struct TapeKey: CodingKey, Sendable {
    package var stringValue: String
    package var intValue: Int?

    package init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    package init(index: Int) {
        stringValue = "\(index)"
        intValue = index
    }

    package init?(stringValue: String) { self.init(stringValue) }
    package init?(intValue: Int) { self.init(index: intValue) }
}

extension JSONTapeView {
    /// The coding path from the root (token 0) down to the value at token `target`: object members
    /// by name, array elements by index — the path a `Codable` decoder reports for that value.
    package func keyPath(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var i = 0
        descend: while i != target {
            let t = tokens[i]
            let isObject = if case .object = t.kind { true } else { false }
            var member = i + 1
            var n = 0
            while member < Int(t.next) {
                let valueIndex = isObject ? member + 1 : member
                let after = Int(tokens[valueIndex].next)
                if target >= valueIndex && target < after {
                    path.append(isObject ? TapeKey(string(tokens[member])) : TapeKey(index: n))
                    i = valueIndex
                    continue descend
                }
                member = after
                n += 1
            }
            break // `target` is not below `i` (cannot happen for indices taken from the tape)
        }
        return path
    }
}
