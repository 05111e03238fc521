import KubeAPI

/// The identity of an event for aggregation (`EventRecorder`): regarding, related, type, reason,
/// action and note, held as ONE string — each field length-prefixed, so the encoding is exact and
/// reversible (`fields` gives them back for the Event the recorder creates).
///
/// Contract: two keys are equal exactly when all their fields are equal (nil and "" differ); the
/// key keeps no reference to the caller's strings (a note or a UID is copied into the one string,
/// so the recorder's table does not keep the audit event's strings alive as well).
struct EventKey: Hashable, Sendable {
    /// The decoded fields.
    struct Fields: Equatable {
        var regarding: ObjectReference
        var related: ObjectReference?
        var type: String
        var reason: String
        var action: String
        var note: String?
    }

    let text: String

    init(regarding: ObjectReference, related: ObjectReference?, type: String, reason: String, action: String,
         note: String?) {
        let own = [type, reason, action, note]
        let all = Self.fields(of: regarding) + (related.map(Self.fields) ?? []) + own
        var text = ""
        // Exactly the bytes written: a string grown by appends keeps up to twice its length.
        text.reserveCapacity(1 + all.reduce(0) { n, f in n + (f.map { String($0.utf8.count).utf8.count + 1 + $0.utf8.count } ?? 1) })
        for field in Self.fields(of: regarding) { Self.append(field, to: &text) }
        text += related == nil ? "-" : "+"
        for field in (related.map(Self.fields) ?? []) + own { Self.append(field, to: &text) }
        self.text = text
    }

    var fields: Fields {
        var reader = Reader(text.utf8)
        let regarding = reader.reference()
        let related = reader.marker() ? reader.reference() : nil
        return Fields(regarding: regarding, related: related, type: reader.field() ?? "", reason: reader.field() ?? "",
                      action: reader.field() ?? "", note: reader.field())
    }

    private static func fields(of ref: ObjectReference) -> [String?] {
        [ref.apiVersion, ref.kind, ref.namespace, ref.name, ref.uid, ref.resourceVersion, ref.fieldPath]
    }

    /// `-` for nil, else `<UTF-8 length>:<value>`.
    private static func append(_ field: String?, to text: inout String) {
        guard let field else {
            text += "-"
            return
        }
        text += String(field.utf8.count)
        text += ":"
        text += field
    }

    /// Reads the fields back in the order `init` wrote them.
    private struct Reader {
        let bytes: String.UTF8View
        var index: String.UTF8View.Index

        init(_ bytes: String.UTF8View) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        /// Consumes `+` (true) or `-` (false).
        mutating func marker() -> Bool {
            defer { index = bytes.index(after: index) }
            return bytes[index] == UInt8(ascii: "+")
        }

        mutating func field() -> String? {
            if bytes[index] == UInt8(ascii: "-") {
                index = bytes.index(after: index)
                return nil
            }
            var length = 0
            while bytes[index] != UInt8(ascii: ":") {
                length = length * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index = bytes.index(after: index)
            }
            let start = bytes.index(after: index)
            index = bytes.index(start, offsetBy: length)
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func reference() -> ObjectReference {
            ObjectReference(apiVersion: field(), kind: field(), namespace: field(), name: field(), uid: field(),
                            resourceVersion: field(), fieldPath: field())
        }
    }
}
