import KubeAPI
import KubeClient
import Testing
import TestSupport

/// `T` decoded with `Codable` all the way down: `JSONBytesDecoder` takes the `TapeDecodable` path
/// for its top-level type only, so wrapping `T` makes it run `T.init(from:)` and every nested
/// `init(from:)` — the reference the tape decoders must equal.
struct ViaCodable<T: Decodable & Sendable>: Decodable, Sendable {
    var value: T
    init(from decoder: any Decoder) throws { value = try T(from: decoder) }
}

/// A JSON document with ordered members, so tests can write duplicate and escaped member names.
indirect enum Doc: Sendable {
    /// A scalar's JSON text as written (`1e400`, `2.0` stay as they are).
    case scalar(String)
    case array([Doc])
    case object([(name: String, value: Doc, escaped: Bool)])

    init(_ v: JSONValue) {
        switch v {
        case .array(let a): self = .array(a.map(Doc.init))
        case .object(let o): self = .object(o.keys.sorted().map { (name: $0, value: Doc(o[$0]!), escaped: false) })
        default: self = .scalar(v.jsonString())
        }
    }

    init(_ text: String) {
        let v = try! JSONValue(parsing: Array(text.utf8))
        switch v {
        case .array, .object: self.init(v)
        default: self = .scalar(text)
        }
    }

    var text: String {
        switch self {
        case .scalar(let text): return text
        case .array(let a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { m in
                let name = m.escaped
                    ? "\"" + m.name.unicodeScalars.map { "\\u" + String(repeating: "0", count: 4 - String($0.value, radix: 16).count) + String($0.value, radix: 16) }.joined() + "\""
                    : JSONValue.string(m.name).jsonString()
                return name + ":" + m.value.text
            }.joined(separator: ",") + "}"
        }
    }

    /// Every position in the document: the path (member names and array indices) to each value.
    var paths: [[PathStep]] {
        var out: [[PathStep]] = [[]]
        switch self {
        case .scalar: break
        case .array(let a):
            for (i, d) in a.enumerated() { out += d.paths.map { [.index(i)] + $0 } }
        case .object(let m):
            for (i, member) in m.enumerated() { out += member.value.paths.map { [.member(i)] + $0 } }
        }
        return out
    }

    /// The document with the value at `path` passed through `change` (nil: the value's member or
    /// element is removed).
    func replacing(_ path: ArraySlice<PathStep>, _ change: (Doc) -> Doc?) -> Doc? {
        guard let step = path.first else { return change(self) }
        switch (self, step) {
        case (.array(var a), .index(let i)):
            if let d = a[i].replacing(path.dropFirst(), change) { a[i] = d } else { a.remove(at: i) }
            return .array(a)
        case (.object(var m), .member(let i)):
            if let d = m[i].value.replacing(path.dropFirst(), change) { m[i].value = d } else { m.remove(at: i) }
            return .object(m)
        default: return self
        }
    }

    /// For an object: the same object with its member `i` written twice (`extra` first or second).
    func duplicating(member i: Int, with extra: Doc, first: Bool) -> Doc {
        guard case .object(var m) = self, i < m.count else { return self }
        let copy = (name: m[i].name, value: extra, escaped: false)
        m.insert(copy, at: first ? i : i + 1)
        return .object(m)
    }

    func escapingName(of i: Int) -> Doc {
        guard case .object(var m) = self, i < m.count else { return self }
        m[i].escaped = true
        return .object(m)
    }
}

enum PathStep: Sendable { case member(Int), index(Int) }

/// What a decode produced: the value, or the error reduced to what both decoders must agree on
/// (case, type, coding path, missing key, message). The `CodingKey` types differ by construction
/// (a model's `CodingKeys` vs `TapeKey`), so keys are compared by `stringValue`/`intValue`.
enum Outcome<T: Equatable>: Equatable, CustomStringConvertible {
    case value(T)
    case failure(String)

    init(_ body: () throws -> T) {
        do {
            self = .value(try body())
        } catch let error as DecodingError {
            self = .failure(Self.describe(error))
        } catch {
            self = .failure("not a DecodingError: \(error)")
        }
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined() + " — " + c.debugDescription
        }
        switch e {
        case .typeMismatch(let t, let c): return "typeMismatch \(t) at \(path(c))"
        case .valueNotFound(let t, let c): return "valueNotFound \(t) at \(path(c))"
        case .keyNotFound(let k, let c): return "keyNotFound \(k.stringValue) at \(path(c))"
        case .dataCorrupted(let c): return "dataCorrupted at \(path(c))"
        @unknown default: return "\(e)"
        }
    }

    var description: String {
        switch self {
        case .value(let v): "value \(v)"
        case .failure(let f): f
        }
    }
}

enum TapeDifferential {
    /// `JSONBytesDecoder`'s answer for `T` (the tape path), `T(tape:)` called directly, and the
    /// `Codable` reference, compared through `project`; the first two must be the reference.
    static func compare<T: TapeDecodable & Sendable, P: Equatable>(_ type: T.Type, _ text: String, _ project: (T) -> P,
                                                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        let reference = Outcome { project(try JSONBytesDecoder().decode(ViaCodable<T>.self, from: bytes).value) }
        let viaDecoder = Outcome { project(try JSONBytesDecoder().decode(T.self, from: bytes)) }
        let direct = Outcome { project(try JSONTape(parsing: bytes).decode(T.self)) }
        #expect(viaDecoder == reference, "\(T.self) from \(text)", sourceLocation: sourceLocation)
        #expect(direct == reference, "\(T.self) (direct) from \(text)", sourceLocation: sourceLocation)
    }

    /// Values put in place of each value of a document: every JSON kind, edge numbers, time-like
    /// and enum-like text.
    static let replacements: [Doc] = [
        "null", "true", "false", "0", "7", "-1", "2.0", "1.5", "3000000000", "1e400", "\"x\"", "\"\"",
        "\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00.123456Z\"", "\"90s\"", "\"dev\"", "\"Running\"",
        "[]", "[\"a\"]", "[null]", "{}", "{\"a\":\"b\"}", "{\"a\":1}",
    ].map { Doc($0) }

    /// Single faults at every position of `fixture`: each value removed, replaced by each of
    /// `replacements`, written twice (valid value first or second), and with an escaped name.
    static func singleFaults(_ fixture: String) -> [Doc] {
        let doc = Doc(fixture)
        var out: [Doc] = []
        for path in doc.paths {
            let slice = path[...]
            if !path.isEmpty, let d = doc.replacing(slice, { _ in nil }) { out.append(d) }
            for r in replacements { if let d = doc.replacing(slice, { _ in r }) { out.append(d) } }
            if case .member(let i)? = path.last {
                let parent = path.dropLast()
                for (extra, first) in [(Doc("null"), true), (Doc("null"), false), (Doc("{}"), true), (Doc("7"), false)] {
                    if let d = doc.replacing(parent, { $0.duplicating(member: i, with: extra, first: first) }) { out.append(d) }
                }
                if let d = doc.replacing(parent, { $0.escapingName(of: i) }) { out.append(d) }
            }
        }
        return out
    }

    /// `count` documents with 1–4 random faults each (`SplitMix`-seeded, reproducible).
    static func randomFaults(_ fixture: String, count: Int, seed: UInt64) -> [Doc] {
        var rng = SplitMix(seed: seed)
        var out: [Doc] = []
        for _ in 0..<count {
            var doc = Doc(fixture)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let paths = doc.paths
                let path = paths[Int.random(in: 0..<paths.count, using: &rng)][...]
                let r = Int.random(in: 0...replacements.count, using: &rng)
                if let d = doc.replacing(path, { _ in r == replacements.count ? nil : replacements[r] }) { doc = d }
            }
            out.append(doc)
        }
        return out
    }

    /// Fails on any `nil` optional or empty collection reachable in `value`: the fully populated
    /// fixture must fill every field, so a field added to a model without tape decoding (left
    /// nil by `init(tape:)`) or a fixture that misses one is caught.
    static func emptyFields(in value: Any, at path: String = "") -> [String] {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let some = mirror.children.first else { return [path] }
            return emptyFields(in: some.value, at: path)
        case .collection, .set:
            if mirror.children.isEmpty { return [path + " (empty)"] }
            return mirror.children.enumerated().flatMap { emptyFields(in: $1.value, at: path + "[\($0)]") }
        case .dictionary:
            if mirror.children.isEmpty { return [path + " (empty)"] }
            return []
        case .struct, .class, .enum:
            return mirror.children.flatMap { emptyFields(in: $0.value, at: path + "." + ($0.label ?? "?")) }
        default:
            return []
        }
    }
}
