import Foundation
import KubeAPI

/// A CEL type as the checker sees it. Objects from a schema are `.object(CELDecl)`; the other
/// schema-derived types (lists, maps, strings) keep their `CELDecl` beside the type in
/// `CELChecked` so the cost estimator knows their declared maximum sizes.
indirect enum CELType: Hashable, Sendable {
    case int, uint, double, bool, string, bytes, null, duration, timestamp, dyn
    case list(CELType)
    case map(CELType, CELType)
    case object(CELDecl)
    case optional(CELType)
    /// Library types: `kubernetes.Quantity`, `kubernetes.URL`, `kubernetes.NamedFormat`.
    case opaque(String)
    case type(CELType)
    /// A type parameter of an overload signature (`A`, `B`).
    case param(String)

    /// cel-go's `FormatCELType` rendering, used in checker messages.
    var name: String {
        switch self {
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .null: "null_type"
        case .duration: "google.protobuf.Duration"
        case .timestamp: "google.protobuf.Timestamp"
        case .dyn: "dyn"
        case .list(let e): "list(\(e.name))"
        case .map(let k, let v): "map(\(k.name), \(v.name))"
        case .object(let d): d.typeName
        case .optional(let t): "optional_type(\(t.name))"
        case .opaque(let n): n
        case .type(let t): "type(\(t.name))"
        case .param(let p): p
        }
    }

    var isDyn: Bool { self == .dyn }
}

/// The CEL declaration of one schema node (apiserver `DeclType`): its type, the maximum number
/// of elements (characters for strings, items for lists, properties for maps) a request can hold,
/// and the minimum serialized size, computed exactly like `SchemaDeclType` in k8s.io/apiserver.
final class CELDecl: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case int, double, bool, string, bytes, duration, timestamp, dyn, list, map, object }

    static let maxRequestSizeBytes: Int64 = 3 * 1024 * 1024

    let kind: Kind
    let typeName: String
    let maxElements: Int64
    let minSerializedSize: Int64
    /// Object fields by CEL-escaped name, with whether the schema requires them.
    let fields: [String: CELDecl]
    let elem: CELDecl?

    init(kind: Kind, typeName: String = "object", maxElements: Int64 = 0, minSerializedSize: Int64,
         fields: [String: CELDecl] = [:], elem: CELDecl? = nil) {
        self.kind = kind
        self.typeName = typeName
        self.maxElements = maxElements
        self.minSerializedSize = minSerializedSize
        self.fields = fields
        self.elem = elem
    }

    static func == (a: CELDecl, b: CELDecl) -> Bool { a === b }
    func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

    var celType: CELType {
        switch kind {
        case .int: .int
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .duration: .duration
        case .timestamp: .timestamp
        case .dyn: .dyn
        case .list: .list(elem?.celType ?? .dyn)
        case .map: .map(.string, elem?.celType ?? .dyn)
        case .object: .object(self)
        }
    }

    /// The declaration of a schema node (`nil` for schemas CEL cannot see, like untyped
    /// preserve-unknown-fields). `isResourceRoot` adds `apiVersion`, `kind` and
    /// `metadata.name/generateName`, as at the root of a custom resource or embedded resource.
    static func from(_ s: JSONValue, isResourceRoot: Bool = false, typeName: String = "object") -> CELDecl? {
        let maxLength = s["maxLength"]?.intValue.map { max(0, Int64($0)) }
        if s["x-kubernetes-int-or-string"]?.boolValue == true {
            return CELDecl(kind: .dyn, maxElements: maxLength.map { $0 * 4 } ?? maxRequestSizeBytes - 2, minSerializedSize: 1)
        }
        switch s["type"]?.stringValue ?? "" {
        case "array":
            guard let itemsSchema = s["items"], let items = from(itemsSchema, isResourceRoot: itemsSchema["x-kubernetes-embedded-resource"]?.boolValue == true,
                                                              typeName: typeName + ".@idx") else { return nil }
            let maxItems = s["maxItems"]?.intValue.map { max(0, Int64($0)) } ?? (maxRequestSizeBytes - 2) / (items.minSerializedSize + 1)
            return CELDecl(kind: .list, maxElements: maxItems, minSerializedSize: 2, elem: items)
        case "object":
            if let add = s["additionalProperties"], add.objectValue != nil {
                guard let values = from(add, isResourceRoot: add["x-kubernetes-embedded-resource"]?.boolValue == true,
                                        typeName: typeName + ".@elem") else { return nil }
                let maxProps = s["maxProperties"]?.intValue.map { max(0, Int64($0)) } ?? (maxRequestSizeBytes - 2) / (values.minSerializedSize + 6)
                return CELDecl(kind: .map, maxElements: maxProps, minSerializedSize: 2, elem: values)
            }
            var props = s["properties"]?.objectValue ?? [:]
            if isResourceRoot {
                for k in ["apiVersion", "kind"] where props[k]?["type"]?.stringValue != "string" { props[k] = ["type": "string"] }
                props["metadata"] = ["type": "object", "properties": ["name": ["type": "string"], "generateName": ["type": "string"]]]
            }
            let required = Set((s["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            var fields: [String: CELDecl] = [:]
            var minSize: Int64 = 2
            for (name, prop) in props {
                guard let t = from(prop, isResourceRoot: prop["x-kubernetes-embedded-resource"]?.boolValue == true,
                                   typeName: typeName + "." + name) else { continue }
                if let escaped = CELNames.escape(name) { fields[escaped] = t }
                if required.contains(name) && prop["default"] == nil { minSize += Int64(name.count) + t.minSerializedSize + 4 }
            }
            return CELDecl(kind: .object, typeName: typeName, minSerializedSize: minSize, fields: fields)
        case "string":
            let perRequest = maxRequestSizeBytes - 2
            switch s["format"]?.stringValue {
            case "byte": return CELDecl(kind: .bytes, maxElements: maxLength ?? perRequest, minSerializedSize: 2)
            case "duration": return CELDecl(kind: .duration, maxElements: 32, minSerializedSize: 3)
            case "date": return CELDecl(kind: .timestamp, maxElements: 12, minSerializedSize: 12)
            case "date-time": return CELDecl(kind: .timestamp, maxElements: 32, minSerializedSize: 21)
            default: break
            }
            let enumMax = (s["enum"]?.arrayValue ?? []).compactMap(\.stringValue).map { Int64($0.utf8.count) }.max()
            return CELDecl(kind: .string, maxElements: maxLength.map { $0 * 4 } ?? enumMax ?? perRequest, minSerializedSize: 2)
        case "boolean": return CELDecl(kind: .bool, minSerializedSize: 4)
        case "number": return CELDecl(kind: .double, minSerializedSize: 1)
        case "integer": return CELDecl(kind: .int, minSerializedSize: 1)
        default: return nil
        }
    }
}

/// CEL's escaping of property names (`apiservercel.Escape`): `__` → `__underscores__`,
/// `.` → `__dot__`, `-` → `__dash__`, `/` → `__slash__`, reserved words → `__word__`.
enum CELNames {
    static let reserved: Set<String> = ["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
                                        "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
                                        "void", "while"]

    static func escape(_ name: String) -> String? {
        if reserved.contains(name) { return "__\(name)__" }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || "_.-/".unicodeScalars.contains(first) else { return nil }
        guard name.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_.-/".unicodeScalars.contains($0) }) else { return nil }
        return name.replacingOccurrences(of: "__", with: "__underscores__").replacingOccurrences(of: ".", with: "__dot__")
            .replacingOccurrences(of: "-", with: "__dash__").replacingOccurrences(of: "/", with: "__slash__")
    }

    static func unescape(_ name: String) -> String {
        guard name.contains("__") else { return name }
        if name.hasPrefix("__"), name.hasSuffix("__"), reserved.contains(String(name.dropFirst(2).dropLast(2))) {
            return String(name.dropFirst(2).dropLast(2))
        }
        return name.replacingOccurrences(of: "__dot__", with: ".").replacingOccurrences(of: "__dash__", with: "-")
            .replacingOccurrences(of: "__slash__", with: "/").replacingOccurrences(of: "__underscores__", with: "__")
    }
}
