import KubeAPI

/// Values a real apiserver cannot even decode into its Go types (400 BadRequest
/// `<Kind> in version "v1" cannot be handled as a <Kind>: …`): Lease MicroTimes that are not RFC 3339
/// with exactly six fractional digits, resource quantities that do not parse, and Secret `data` /
/// ConfigMap `binaryData` values that are not base64.
enum DecodeChecks {
    static let quantityError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    static func check(_ type: ResourceType, _ obj: JSONValue) throws(APIError) {
        func fail(_ why: String) -> APIError {
            .badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): \(why)")
        }
        switch type.storageKey {
        case "leases.coordination.k8s.io":
            for field in ["acquireTime", "renewTime"] {
                guard let v = obj[path: ["spec", field]], v != .null else { continue }
                guard let s = v.stringValue else { throw fail("json: cannot unmarshal \(v.jsonString()) into Go struct field LeaseSpec.spec.\(field) of type string") }
                if let why = microTimeError(s) { throw fail(why) }
            }
        case "secrets":
            for (_, v) in obj["data"]?.objectValue ?? [:] {
                if let s = v.stringValue, let at = base64ErrorOffset(s) { throw fail("illegal base64 data at input byte \(at)") }
            }
        case "configmaps":
            for (_, v) in obj["binaryData"]?.objectValue ?? [:] {
                if let s = v.stringValue, let at = base64ErrorOffset(s) { throw fail("illegal base64 data at input byte \(at)") }
            }
        case "pods":
            if let why = containerQuantityError(obj["spec"]) { throw fail(why) }
        case "jobs.batch":
            if let why = containerQuantityError(obj[path: ["spec", "template", "spec"]]) { throw fail(why) }
        case "resourcequotas":
            if !quantitiesParse(obj[path: ["spec", "hard"]]) { throw fail(quantityError) }
        case "limitranges":
            for item in obj[path: ["spec", "limits"]]?.arrayValue ?? [] {
                for k in ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] where !quantitiesParse(item[k]) {
                    throw fail(quantityError)
                }
            }
        default:
            break
        }
    }

    /// Where Go's `base64.StdEncoding` would fail on `s` (nil when it decodes).
    static func base64ErrorOffset(_ s: String) -> Int? {
        let b = Array(s.utf8)
        func isAlphabet(_ c: UInt8) -> Bool {
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 43 || c == 47
        }
        var padding = 0
        for (i, c) in b.enumerated() {
            if c == 61 {
                padding += 1
                if padding > 2 || i % 4 < 2 { return i }
            } else if padding > 0 || !isAlphabet(c) {
                return i
            }
        }
        if b.count % 4 != 0 { return b.count - b.count % 4 }
        return nil
    }

    static func containerQuantityError(_ spec: JSONValue?) -> String? {
        for key in ["containers", "initContainers"] {
            for c in spec?[key]?.arrayValue ?? [] {
                for part in ["requests", "limits"] where !quantitiesParse(c[path: ["resources", part]]) { return quantityError }
            }
        }
        return nil
    }

    static func quantitiesParse(_ list: JSONValue?) -> Bool {
        for (_, v) in list?.objectValue ?? [:] {
            switch v {
            case .string(let s): if Quantity(parsing: s) == nil { return false }
            case .int, .double: continue
            default: return false
            }
        }
        return true
    }

    /// Go's `time.Parse("2006-01-02T15:04:05.000000Z07:00", s)` error text, or nil when it parses.
    static func microTimeError(_ s: String) -> String? {
        let layout = "2006-01-02T15:04:05.000000Z07:00"
        let b = Array(s.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= b.count && b[range].allSatisfy { $0 >= 48 && $0 <= 57 }
        }
        let head = digits(0..<4) && b.count > 19 && b[4] == 45 && digits(5..<7) && b[7] == 45 && digits(8..<10)
            && b[10] == 84 && digits(11..<13) && b[13] == 58 && digits(14..<16) && b[16] == 58 && digits(17..<19)
        guard head else { return "parsing time \"\(s)\" as \"\(layout)\": cannot parse \"\(s)\" as \"2006\"" }
        let rest = String(decoding: b[19...], as: UTF8.self)
        guard b[19] == 46, digits(20..<26), b.count > 26, !(b[26] >= 48 && b[26] <= 57) else {
            return "parsing time \"\(s)\" as \"\(layout)\": cannot parse \"\(rest)\" as \".000000\""
        }
        let zone = String(decoding: b[26...], as: UTF8.self)
        if zone == "Z" { return nil }
        let z = Array(zone.utf8)
        if z.count == 6, z[0] == 43 || z[0] == 45, z[3] == 58, [1, 2, 4, 5].allSatisfy({ z[$0] >= 48 && z[$0] <= 57 }) { return nil }
        return "parsing time \"\(s)\" as \"\(layout)\": cannot parse \"\(zone)\" as \"Z07:00\""
    }
}
