import Foundation
import KubeAPI

/// Decodes the Kubernetes protobuf request bodies that typed Go clients send
/// (`application/vnd.kubernetes.protobuf`) for the few kinds that need it: Secret (Helm's
/// release storage), ConfigMap, Namespace and DeleteOptions. Other kinds stay a 415, as documented.
///
/// Format: the magic `k8s\0`, then a `runtime.Unknown` message (typeMeta = 1 {apiVersion = 1,
/// kind = 2}, raw = 2, contentEncoding = 3, contentType = 4) whose `raw` is the object's
/// generated.proto encoding.
enum ProtobufBody {
    static let supportedKinds = ["Secret", "ConfigMap", "Namespace", "DeleteOptions"] + ProtobufAccessKinds.kinds

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

        /// The next (field number, wire type, value) where value is the bytes of a length-delimited
        /// field or the varint for wire type 0.
        mutating func next() throws(APIError) -> (Int, ArraySlice<UInt8>, UInt64)? {
            guard !bytes.isEmpty else { return nil }
            let key = try varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: return (field, [], try varint())
            case 2:
                let n = Int(try varint())
                guard n <= bytes.count else { throw .badRequest("malformed protobuf body (length)") }
                let value = bytes.prefix(n)
                bytes = bytes.dropFirst(n)
                return (field, value, 0)
            case 1: bytes = bytes.dropFirst(8); return (field, [], 0)
            case 5: bytes = bytes.dropFirst(4); return (field, [], 0)
            default: throw .badRequest("malformed protobuf body (wire type)")
            }
        }
    }

    static func string(_ b: ArraySlice<UInt8>) -> JSONValue { .string(String(decoding: b, as: UTF8.self)) }

    /// Decodes an envelope into the object's JSON form.
    static func decode(_ body: [UInt8]) throws(APIError) -> JSONValue {
        guard body.starts(with: [0x6b, 0x38, 0x73, 0x00]) else { throw .badRequest("protobuf body without the k8s magic prefix") }
        var r = Reader(bytes: body.dropFirst(4))
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        while let (field, value, _) = try r.next() {
            if field == 1 {
                var t = Reader(bytes: value)
                while let (f, v, _) = try t.next() {
                    if f == 1 { apiVersion = String(decoding: v, as: UTF8.self) }
                    if f == 2 { kind = String(decoding: v, as: UTF8.self) }
                }
            } else if field == 2 {
                raw = value
            }
        }
        var obj: [String: JSONValue] = ["apiVersion": .string(apiVersion), "kind": .string(kind)]
        var m = Reader(bytes: raw)
        if try ProtobufAccessKinds.decode(kind, raw, into: &obj) { return .object(obj) }
        switch kind {
        case "Secret":
            var data: [String: JSONValue] = [:], stringData: [String: JSONValue] = [:]
            while let (f, v, n) = try m.next() {
                switch f {
                case 1: obj["metadata"] = try objectMeta(v)
                case 2: let (k, val) = try entry(v); data[k] = .string(Data(val).base64EncodedString())
                case 3: obj["type"] = string(v)
                case 4: let (k, val) = try entry(v); stringData[k] = string(val)
                case 5: obj["immutable"] = .bool(n != 0)
                default: break
                }
            }
            if !data.isEmpty { obj["data"] = .object(data) }
            if !stringData.isEmpty { obj["stringData"] = .object(stringData) }
        case "ConfigMap":
            var data: [String: JSONValue] = [:], binary: [String: JSONValue] = [:]
            while let (f, v, n) = try m.next() {
                switch f {
                case 1: obj["metadata"] = try objectMeta(v)
                case 2: let (k, val) = try entry(v); data[k] = string(val)
                case 3: let (k, val) = try entry(v); binary[k] = .string(Data(val).base64EncodedString())
                case 4: obj["immutable"] = .bool(n != 0)
                default: break
                }
            }
            if !data.isEmpty { obj["data"] = .object(data) }
            if !binary.isEmpty { obj["binaryData"] = .object(binary) }
        case "Namespace":
            while let (f, v, _) = try m.next() {
                if f == 1 { obj["metadata"] = try objectMeta(v) }
                if f == 2 {
                    var s = Reader(bytes: v)
                    var finalizers: [JSONValue] = []
                    while let (sf, sv, _) = try s.next() {
                        if sf == 1 { finalizers.append(string(sv)) }
                    }
                    if !finalizers.isEmpty { obj["spec"] = ["finalizers": .array(finalizers)] }
                }
            }
        case "DeleteOptions":
            var dryRun: [JSONValue] = []
            while let (f, v, n) = try m.next() {
                switch f {
                case 1: obj["gracePeriodSeconds"] = .int(Int64(bitPattern: n))
                case 2:
                    var p = Reader(bytes: v)
                    var pre: [String: JSONValue] = [:]
                    while let (pf, pv, _) = try p.next() {
                        if pf == 1 { pre["uid"] = string(pv) }
                        if pf == 2 { pre["resourceVersion"] = string(pv) }
                    }
                    obj["preconditions"] = .object(pre)
                case 3: obj["orphanDependents"] = .bool(n != 0)
                case 4: obj["propagationPolicy"] = string(v)
                case 5: dryRun.append(string(v))
                default: break
                }
            }
            if !dryRun.isEmpty { obj["dryRun"] = .array(dryRun) }
        default:
            if let decoded = try ProtobufMessages.decode(apiVersion: apiVersion, kind: kind, raw: raw) { return decoded }
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the test server accepts protobuf bodies only for \(supportedKinds.joined(separator: ", ")) (got \(kind)); send application/json")
        }
        return .object(obj)
    }

    /// One map entry (key = 1, value = 2).
    static func entry(_ b: ArraySlice<UInt8>) throws(APIError) -> (String, ArraySlice<UInt8>) {
        var r = Reader(bytes: b)
        var key = "", value: ArraySlice<UInt8> = []
        while let (f, v, _) = try r.next() {
            if f == 1 { key = String(decoding: v, as: UTF8.self) }
            if f == 2 { value = v }
        }
        return (key, value)
    }

    /// `metav1.ObjectMeta`: the client-settable fields.
    static func objectMeta(_ b: ArraySlice<UInt8>) throws(APIError) -> JSONValue {
        var r = Reader(bytes: b)
        var meta: [String: JSONValue] = [:]
        var labels: [String: JSONValue] = [:], annotations: [String: JSONValue] = [:]
        var finalizers: [JSONValue] = [], owners: [JSONValue] = []
        while let (f, v, _) = try r.next() {
            switch f {
            case 1: meta["name"] = string(v)
            case 2: meta["generateName"] = string(v)
            case 3: meta["namespace"] = string(v)
            case 5: meta["uid"] = string(v)
            case 6: meta["resourceVersion"] = string(v)
            case 11: let (k, val) = try entry(v); labels[k] = string(val)
            case 12: let (k, val) = try entry(v); annotations[k] = string(val)
            case 13:
                var o = Reader(bytes: v)
                var owner: [String: JSONValue] = [:]
                while let (of, ov, on) = try o.next() {
                    switch of {
                    case 1: owner["kind"] = string(ov)
                    case 3: owner["name"] = string(ov)
                    case 4: owner["uid"] = string(ov)
                    case 5: owner["apiVersion"] = string(ov)
                    case 6: owner["controller"] = .bool(on != 0)
                    case 7: owner["blockOwnerDeletion"] = .bool(on != 0)
                    default: break
                    }
                }
                owners.append(.object(owner))
            case 14: finalizers.append(string(v))
            default: break
            }
        }
        if !labels.isEmpty { meta["labels"] = .object(labels) }
        if !annotations.isEmpty { meta["annotations"] = .object(annotations) }
        if !finalizers.isEmpty { meta["finalizers"] = .array(finalizers) }
        if !owners.isEmpty { meta["ownerReferences"] = .array(owners) }
        return .object(meta)
    }
}
