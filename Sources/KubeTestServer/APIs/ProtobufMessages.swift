import Foundation
import KubeAPI

/// Decodes any built-in kind's protobuf encoding (`generated.proto`) into its JSON form, driven by
/// the field numbers of `BuiltinSchemas`: what typed Go clients (kubectl `create job|deployment|
/// service|cronjob|quota|pdb …`) send as `application/vnd.kubernetes.protobuf`.
///
/// The apimachinery value types get their JSON forms: `Time`/`MicroTime` → RFC 3339 strings,
/// `Quantity` → its string, `IntOrString` → a number or string, `Duration` → Go's `1h0m0s`,
/// `RawExtension`/`FieldsV1` → the embedded JSON. Empty scalars (`""`, `0`, `false`) are left out,
/// as `omitempty` leaves them out of JSON: proto2 cannot tell an unset pointer from a zero.
enum ProtobufMessages {
    /// The object of `kind` at `apiVersion`, or nil when the table has no such kind.
    static func decode(apiVersion: String, kind: String, raw: ArraySlice<UInt8>) throws(APIError) -> JSONValue? {
        let parts = apiVersion.split(separator: "/").map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts.first ?? "")
        guard let root = BuiltinSchemas.shared.rootMessage(group: group, version: version, kind: kind) else { return nil }
        var obj = try message(root, raw)
        obj["apiVersion"] = .string(apiVersion)
        obj["kind"] = .string(kind)
        return obj
    }

    struct Reader {
        var bytes: ArraySlice<UInt8>

        mutating func varint() throws(APIError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while let b = bytes.popFirst() {
                result |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
                if shift > 63 { break }
            }
            throw .badRequest("malformed protobuf body (varint)")
        }

        /// (field number, wire type, length-delimited bytes, varint or fixed value).
        mutating func next() throws(APIError) -> (Int, UInt64, ArraySlice<UInt8>, UInt64)? {
            guard !bytes.isEmpty else { return nil }
            let key = try varint()
            let wire = key & 7
            switch wire {
            case 0: return (Int(key >> 3), wire, [], try varint())
            case 2:
                let n = Int(try varint())
                guard n >= 0, n <= bytes.count else { throw .badRequest("malformed protobuf body (length)") }
                let value = bytes.prefix(n)
                bytes = bytes.dropFirst(n)
                return (Int(key >> 3), wire, value, 0)
            case 1, 5:
                let n = wire == 1 ? 8 : 4
                guard bytes.count >= n else { throw .badRequest("malformed protobuf body (fixed)") }
                var v: UInt64 = 0
                for (i, b) in bytes.prefix(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
                bytes = bytes.dropFirst(n)
                return (Int(key >> 3), wire, [], v)
            default: throw .badRequest("malformed protobuf body (wire type)")
            }
        }
    }

    static func message(_ name: String, _ bytes: ArraySlice<UInt8>) throws(APIError) -> JSONValue {
        if let special = try valueType(name, bytes) { return special }
        guard let m = BuiltinSchemas.shared.message(name), !m.fields.isEmpty else { return [:] }
        var byNumber: [Int: BuiltinSchemas.Field] = [:]
        for f in m.fields { byNumber[f.number] = f }
        var out: [String: JSONValue] = [:]
        var r = Reader(bytes: bytes)
        while let (number, wire, data, n) = try r.next() {
            guard let f = byNumber[number] else { continue }
            if f.inline, BuiltinSchemas.shared.message(f.type) != nil {
                for (k, v) in try message(f.type, data).objectValue ?? [:] { out[k] = v }
            } else if f.isMap {
                var e = Reader(bytes: data)
                var key = "", value: JSONValue = f.type == "string" ? "" : .null
                while let (en, ew, ed, ev) = try e.next() {
                    if en == 1 { key = String(decoding: ed, as: UTF8.self) }
                    if en == 2 { value = try scalar(f.type, ew, ed, ev) }
                }
                var map = out[f.name]?.objectValue ?? [:]
                map[key] = value
                out[f.name] = .object(map)
            } else if f.repeated {
                var list = out[f.name]?.arrayValue ?? []
                if wire == 2, ["int32", "int64", "bool"].contains(f.type) {
                    var packed = Reader(bytes: data)
                    while !packed.bytes.isEmpty { list.append(try scalar(f.type, 0, [], packed.varint())) }
                } else {
                    list.append(try scalar(f.type, wire, data, n))
                }
                out[f.name] = .array(list)
            } else {
                let value = try scalar(f.type, wire, data, n)
                // Go writes every non-pointer scalar; JSON omits the empty ones (`omitempty`).
                if value == "" || value == false || value == 0 { continue }
                out[f.name] = value
            }
        }
        return .object(out)
    }

    private static func scalar(_ type: String, _ wire: UInt64, _ data: ArraySlice<UInt8>, _ n: UInt64) throws(APIError) -> JSONValue {
        switch type {
        case "string": return .string(String(decoding: data, as: UTF8.self))
        case "bytes": return .string(Data(data).base64EncodedString())
        case "bool": return .bool(n != 0)
        case "int32": return .int(Int64(Int32(truncatingIfNeeded: n)))
        case "int64", "uint64", "uint32", "fixed64": return .int(Int64(bitPattern: n))
        case "double": return .double(Double(bitPattern: n))
        case "float": return .double(Double(Float(bitPattern: UInt32(truncatingIfNeeded: n))))
        default: return try message(type, data)
        }
    }

    /// The apimachinery types whose JSON form is not an object of their proto fields.
    private static func valueType(_ name: String, _ bytes: ArraySlice<UInt8>) throws(APIError) -> JSONValue? {
        let short = name.split(separator: ".").last.map(String.init) ?? name
        guard name.hasPrefix("io.k8s.apimachinery.") || short == "JSON" else { return nil }
        var fields: [Int: (ArraySlice<UInt8>, UInt64)] = [:]
        var r = Reader(bytes: bytes)
        while let (number, _, data, n) = try r.next() { fields[number] = (data, n) }
        switch short {
        case "Time", "MicroTime":
            let seconds = Int64(bitPattern: fields[1]?.1 ?? 0), nanos = Int64(bitPattern: fields[2]?.1 ?? 0)
            if seconds == 0 && nanos == 0 { return .null }
            return .string(KubeTime(secondsSince1970: Double(seconds) + Double(nanos) / 1e9,
                                    precision: short == "MicroTime" ? .micro : .seconds).rfc3339)
        case "Quantity":
            return .string(String(decoding: fields[1]?.0 ?? [], as: UTF8.self))
        case "IntOrString":
            if fields[1]?.1 == 1 { return .string(String(decoding: fields[3]?.0 ?? [], as: UTF8.self)) }
            return .int(Int64(Int32(truncatingIfNeeded: fields[2]?.1 ?? 0)))
        case "Duration":
            return .string(goDuration(Int64(bitPattern: fields[1]?.1 ?? 0)))
        case "RawExtension", "FieldsV1", "JSON":
            let raw = fields[1]?.0 ?? []
            return (try? JSONValue(parsing: raw)) ?? .null
        default:
            return nil
        }
    }

    /// Go's `time.Duration.String()` for whole seconds (`1h0m0s`, `5m0s`, `30s`), else seconds.
    static func goDuration(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        guard nanos % 1_000_000_000 == 0 else { return "\(Double(nanos) / 1e9)s" }
        let total = nanos / 1_000_000_000
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        if h > 0 { return "\(h)h\(m)m\(s)s" }
        if m > 0 { return "\(m)m\(s)s" }
        return "\(s)s"
    }
}
