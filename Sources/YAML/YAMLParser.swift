import CYAML

/// A YAML syntax or structure error with its position.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the text came from, when known.
    public var file: String?
    public var mark: YAMLMark
    public var message: String

    public init(file: String? = nil, mark: YAMLMark, message: String) {
        self.file = file
        self.mark = mark
        self.message = message
    }

    public var description: String { "\(file.map { "\($0): " } ?? "")\(mark): \(message)" }
}

extension YAMLNode {
    /// Parses every document of a YAML stream with libyaml.
    ///
    /// - Throws: `YAMLError` with the 1-based line/column libyaml reports, or for duplicate keys,
    ///   unknown aliases and anchors that would recurse.
    public static func parseDocuments(_ bytes: [UInt8], file: String? = nil) throws(YAMLError) -> [YAMLNode] {
        var reader = YAMLEventReader(file: file)
        return try reader.run(bytes)
    }

    /// Parses a single-document YAML text. An empty document yields an empty mapping.
    ///
    /// - Throws: `YAMLError`, also when the stream holds more than one document.
    public static func parse(_ bytes: [UInt8], file: String? = nil) throws(YAMLError) -> YAMLNode {
        let docs = try parseDocuments(bytes, file: file)
        if docs.count > 1 {
            throw YAMLError(file: file, mark: docs[1].mark, message: "expected one YAML document, found \(docs.count)")
        }
        return docs.first ?? YAMLNode(.mapping([]), mark: YAMLMark(line: 1, column: 1))
    }

    /// Parses a single-document YAML string.
    public static func parse(_ text: String, file: String? = nil) throws(YAMLError) -> YAMLNode {
        try parse(Array(text.utf8), file: file)
    }
}

/// Drives libyaml's event parser and builds `YAMLNode` trees (recursive descent over events).
struct YAMLEventReader {
    let file: String?
    var anchors: [String: YAMLNode] = [:]

    init(file: String?) { self.file = file }

    mutating func run(_ bytes: [UInt8]) throws(YAMLError) -> [YAMLNode] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            throw YAMLError(file: file, mark: YAMLMark(line: 1, column: 1), message: "cannot initialise libyaml")
        }
        defer { yaml_parser_delete(&parser) }
        // libyaml reads the buffer lazily, so it must outlive the whole parse.
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: bytes)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, bytes.count)

        var documents: [YAMLNode] = []
        while true {
            var event = try next(&parser)
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                break
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                var first = try next(&parser)
                documents.append(try node(startingWith: &first, parser: &parser))
            default:
                throw YAMLError(file: file, mark: mark(event.start_mark), message: "unexpected YAML event")
            }
        }
    }

    private func mark(_ m: yaml_mark_t) -> YAMLMark { YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1) }

    private func next(_ parser: inout yaml_parser_t) throws(YAMLError) -> yaml_event_t {
        var event = yaml_event_t()
        if yaml_parser_parse(&parser, &event) == 0 {
            var message = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
            if let context = parser.context.map({ String(cString: $0) }) { message += " (\(context))" }
            throw YAMLError(file: file, mark: mark(parser.problem_mark), message: message)
        }
        return event
    }

    private func text(_ p: UnsafeMutablePointer<yaml_char_t>?, _ length: Int? = nil) -> String? {
        guard let p else { return nil }
        let n = length ?? strlen(p)
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    private func strlen(_ p: UnsafeMutablePointer<yaml_char_t>) -> Int {
        var n = 0
        while p[n] != 0 { n += 1 }
        return n
    }

    /// Builds the node that `event` starts; consumes events up to its end. Frees `event`'s payload
    /// only through the caller's `yaml_event_delete` for the first event.
    private mutating func node(startingWith event: inout yaml_event_t,
                               parser: inout yaml_parser_t) throws(YAMLError) -> YAMLNode {
        defer { yaml_event_delete(&event) }
        let at = mark(event.start_mark)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = text(s.value, Int(s.length)) ?? ""
            let node = YAMLNode(.scalar(value, plain: s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nil),
                                mark: at, tag: text(s.tag))
            if let anchor = text(s.anchor) { anchors[anchor] = node }
            return node
        case YAML_ALIAS_EVENT:
            let name = text(event.data.alias.anchor) ?? ""
            guard var target = anchors[name] else {
                throw YAMLError(file: file, mark: at, message: "unknown alias *\(name)")
            }
            target.mark = at
            return target
        case YAML_SEQUENCE_START_EVENT:
            let anchor = text(event.data.sequence_start.anchor)
            let tag = text(event.data.sequence_start.tag)
            var items: [YAMLNode] = []
            while true {
                var child = try next(&parser)
                if child.type == YAML_SEQUENCE_END_EVENT {
                    yaml_event_delete(&child)
                    break
                }
                items.append(try node(startingWith: &child, parser: &parser))
            }
            let node = YAMLNode(.sequence(items), mark: at, tag: tag)
            if let anchor { anchors[anchor] = node }
            return node
        case YAML_MAPPING_START_EVENT:
            let anchor = text(event.data.mapping_start.anchor)
            let tag = text(event.data.mapping_start.tag)
            var pairs: [YAMLNode.Pair] = []
            var seen: Set<String> = []
            var merged: Set<String> = []
            while true {
                var keyEvent = try next(&parser)
                if keyEvent.type == YAML_MAPPING_END_EVENT {
                    yaml_event_delete(&keyEvent)
                    break
                }
                let key = try node(startingWith: &keyEvent, parser: &parser)
                var valueEvent = try next(&parser)
                let value = try node(startingWith: &valueEvent, parser: &parser)
                if let k = key.scalar {
                    if key.value == .scalar("<<", plain: true) {
                        for p in mergeKeyPairs(value) {
                            guard let s = p.key.scalar, !seen.contains(s) else { continue }
                            seen.insert(s)
                            merged.insert(s)
                            pairs.append(p)
                        }
                        continue
                    }
                    if merged.remove(k) != nil {
                        // An explicit key overrides a value merged in with `<<`.
                        pairs.removeAll { $0.key.scalar == k }
                    } else if !seen.insert(k).inserted {
                        throw YAMLError(file: file, mark: key.mark, message: "duplicate key \"\(k)\"")
                    }
                }
                pairs.append(YAMLNode.Pair(key: key, value: value))
            }
            let node = YAMLNode(.mapping(pairs), mark: at, tag: tag)
            if let anchor { anchors[anchor] = node }
            return node
        default:
            throw YAMLError(file: file, mark: at, message: "unexpected YAML event")
        }
    }

    /// The pairs a `<<` merge key contributes (a mapping or a sequence of mappings).
    private func mergeKeyPairs(_ value: YAMLNode) -> [YAMLNode.Pair] {
        if let p = value.pairs { return p }
        return (value.items ?? []).flatMap { $0.pairs ?? [] }
    }
}
