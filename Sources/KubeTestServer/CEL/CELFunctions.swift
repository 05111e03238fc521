/// One signature of a CEL function. Receiver-style overloads list the receiver first.
struct CELOverload: Sendable {
    var receiver: Bool
    var params: [CELType]
    var result: CELType
}

/// The function declarations of the Kubernetes CEL environment (cel-go standard library, ext
/// strings/sets/lists, and the Kubernetes lists, regex, URL, quantity and format libraries) that
/// the test server evaluates, and the ones it knows but does not evaluate.
enum CELFunctions {
    private static let a = CELType.param("A"), b = CELType.param("B")
    static let quantity = CELType.opaque("kubernetes.Quantity")
    static let url = CELType.opaque("kubernetes.URL")
    static let namedFormat = CELType.opaque("kubernetes.NamedFormat")

    private static func g(_ params: [CELType], _ result: CELType) -> CELOverload { CELOverload(receiver: false, params: params, result: result) }
    private static func r(_ params: [CELType], _ result: CELType) -> CELOverload { CELOverload(receiver: true, params: params, result: result) }

    static let formatNames = ["dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix",
                              "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime"]

    /// Functions of the real environment that the test server does not evaluate: a CRD using
    /// them is rejected at creation with a message naming the function.
    static let unsupported: Set<String> = ["ip", "cidr", "isIP", "isCIDR", "semver", "isSemver", "ip.isCanonical", "containsIP",
                                           "containsCIDR", "masked", "prefixLength", "family", "isUnspecified", "isLoopback",
                                           "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast", "major", "minor", "patch",
                                           "transformList", "transformMap", "transformMapEntry", "sortBy", "fieldSelector",
                                           "labelSelector", "authorizer"]

    static let table: [String: [CELOverload]] = {
        var t: [String: [CELOverload]] = [:]
        let ordered: [CELType] = [.bool, .int, .uint, .double, .string, .bytes, .timestamp, .duration]
        let numeric: [CELType] = [.int, .uint, .double]
        t["_==_"] = [g([a, a], .bool)]
        t["_!=_"] = [g([a, a], .bool)]
        for op in ["_<_", "_<=_", "_>_", "_>=_"] {
            t[op] = ordered.map { g([$0, $0], .bool) } + numeric.flatMap { x in numeric.filter { $0 != x }.map { g([x, $0], .bool) } }
        }
        t["_+_"] = numeric.map { g([$0, $0], $0) } + [g([.string, .string], .string), g([.bytes, .bytes], .bytes),
                                                      g([.list(a), .list(a)], .list(a)), g([.timestamp, .duration], .timestamp),
                                                      g([.duration, .timestamp], .timestamp), g([.duration, .duration], .duration)]
        t["_-_"] = numeric.map { g([$0, $0], $0) } + [g([.timestamp, .timestamp], .duration), g([.timestamp, .duration], .timestamp),
                                                      g([.duration, .duration], .duration)]
        t["_*_"] = numeric.map { g([$0, $0], $0) }
        t["_/_"] = numeric.map { g([$0, $0], $0) }
        t["_%_"] = [g([.int, .int], .int), g([.uint, .uint], .uint)]
        t["-_"] = [g([.int], .int), g([.double], .double)]
        t["!_"] = [g([.bool], .bool)]
        t["_[_]"] = [g([.list(a), .int], a), g([.map(a, b), a], b)]
        t["@in"] = [g([a, .list(a)], .bool), g([a, .map(a, b)], .bool)]
        let sized: [CELType] = [.string, .bytes, .list(a), .map(a, b)]
        t["size"] = sized.map { g([$0], .int) } + sized.map { r([$0], .int) }
        t["int"] = [.int, .uint, .double, .string, .timestamp].map { g([$0], .int) }
        t["uint"] = [.int, .uint, .double, .string].map { g([$0], .uint) }
        t["double"] = [.int, .uint, .double, .string].map { g([$0], .double) }
        t["string"] = [.int, .uint, .double, .bool, .bytes, .string, .timestamp, .duration].map { g([$0], .string) }
        t["bool"] = [.bool, .string].map { g([$0], .bool) }
        t["bytes"] = [.bytes, .string].map { g([$0], .bytes) }
        t["duration"] = [g([.string], .duration), g([.duration], .duration)]
        t["timestamp"] = [g([.string], .timestamp), g([.int], .timestamp), g([.timestamp], .timestamp)]
        t["dyn"] = [g([a], .dyn)]
        t["type"] = [g([a], .type(a))]
        t["matches"] = [g([.string, .string], .bool), r([.string, .string], .bool)]
        for f in ["contains", "startsWith", "endsWith"] { t[f] = [r([.string, .string], .bool)] }
        t["charAt"] = [r([.string, .int], .string)]
        for f in ["indexOf", "lastIndexOf"] {
            t[f] = [r([.string, .string], .int), r([.string, .string, .int], .int), r([.list(a), a], .int)]
        }
        for f in ["lowerAscii", "upperAscii", "trim"] { t[f] = [r([.string], .string)] }
        t["reverse"] = [r([.string], .string), r([.list(a)], .list(a))]
        t["replace"] = [r([.string, .string, .string], .string), r([.string, .string, .string, .int], .string)]
        t["split"] = [r([.string, .string], .list(.string)), r([.string, .string, .int], .list(.string))]
        t["substring"] = [r([.string, .int], .string), r([.string, .int, .int], .string)]
        t["join"] = [r([.list(.string)], .string), r([.list(.string), .string], .string)]
        t["format"] = [r([.string, .list(.dyn)], .string)]
        t["strings.quote"] = [g([.string], .string)]
        t["find"] = [r([.string, .string], .string)]
        t["findAll"] = [r([.string, .string], .list(.string)), r([.string, .string, .int], .list(.string))]
        t["isSorted"] = [r([.list(a)], .bool)]
        t["sum"] = [CELType.int, .uint, .double, .duration].map { r([.list($0)], $0) }
        t["min"] = [r([.list(a)], a)]
        t["max"] = [r([.list(a)], a)]
        t["distinct"] = [r([.list(a)], .list(a))]
        t["sort"] = [r([.list(a)], .list(a))]
        t["flatten"] = [r([.list(.list(a))], .list(a))]
        t["slice"] = [r([.list(a), .int, .int], .list(a))]
        t["first"] = [r([.list(a)], .optional(a))]
        t["last"] = [r([.list(a)], .optional(a))]
        t["lists.range"] = [g([.int], .list(.int))]
        for f in ["sets.contains", "sets.equivalent", "sets.intersects"] { t[f] = [g([.list(a), .list(a)], .bool)] }
        for f in ["getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear"] {
            t[f] = [r([.timestamp], .int), r([.timestamp, .string], .int)]
        }
        for f in ["getHours", "getMinutes", "getSeconds", "getMilliseconds"] {
            t[f] = [r([.timestamp], .int), r([.timestamp, .string], .int), r([.duration], .int)]
        }
        t["url"] = [g([.string], url)]
        t["isURL"] = [g([.string], .bool)]
        for f in ["getScheme", "getHost", "getHostname", "getPort", "getEscapedPath"] { t[f] = [r([url], .string)] }
        t["getQuery"] = [r([url], .map(.string, .list(.string)))]
        t["quantity"] = [g([.string], quantity)]
        t["isQuantity"] = [g([.string], .bool)]
        t["isLessThan"] = [r([quantity, quantity], .bool)]
        t["isGreaterThan"] = [r([quantity, quantity], .bool)]
        t["compareTo"] = [r([quantity, quantity], .int)]
        t["add"] = [r([quantity, quantity], quantity), r([quantity, .int], quantity)]
        t["sub"] = [r([quantity, quantity], quantity), r([quantity, .int], quantity)]
        t["asInteger"] = [r([quantity], .int)]
        t["sign"] = [r([quantity], .int)]
        t["isInteger"] = [r([quantity], .bool)]
        t["asApproximateFloat"] = [r([quantity], .double)]
        for f in formatNames { t["format." + f] = [g([], namedFormat)] }
        t["format.named"] = [g([.string], .optional(namedFormat))]
        t["validate"] = [r([namedFormat, .string], .optional(.list(.string)))]
        t["optional.of"] = [g([a], .optional(a))]
        t["optional.ofNonZeroValue"] = [g([a], .optional(a))]
        t["optional.none"] = [g([], .optional(.dyn))]
        t["hasValue"] = [r([.optional(a)], .bool)]
        t["value"] = [r([.optional(a)], a)]
        t["orValue"] = [r([.optional(a), a], a)]
        t["or"] = [r([.optional(a), .optional(a)], .optional(a))]
        return t
    }()

    /// Namespaces whose `ns.fn(...)` calls name global functions.
    static let namespaces: Set<String> = ["format", "optional", "sets", "lists", "strings", "math", "base64", "cel", "jsonpatch"]

    /// Binds type parameters so that `arg` fits `param`; `dyn` fits anything either way.
    static func assign(_ param: CELType, _ arg: CELType, _ bindings: inout [String: CELType]) -> Bool {
        if arg == .dyn || param == .dyn { return true }
        switch (param, arg) {
        case (.param(let p), _):
            if let bound = bindings[p] {
                if bound == .dyn { return true }
                if assign(bound, arg, &bindings) { return true }
                if case .null = bound, isNullable(arg) { bindings[p] = arg; return true }
                return false
            }
            bindings[p] = arg
            return true
        case (.list(let x), .list(let y)): return assign(x, y, &bindings)
        case (.map(let k1, let v1), .map(let k2, let v2)): return assign(k1, k2, &bindings) && assign(v1, v2, &bindings)
        case (.optional(let x), .optional(let y)): return assign(x, y, &bindings)
        case (.type(let x), .type(let y)): return assign(x, y, &bindings)
        case (_, .null): return isNullable(param)
        default: return param == arg
        }
    }

    private static func isNullable(_ t: CELType) -> Bool {
        switch t {
        case .object, .opaque, .null, .dyn: true
        default: false
        }
    }

    static func substitute(_ t: CELType, _ bindings: [String: CELType]) -> CELType {
        switch t {
        case .param(let p): bindings[p] ?? .dyn
        case .list(let e): .list(substitute(e, bindings))
        case .map(let k, let v): .map(substitute(k, bindings), substitute(v, bindings))
        case .optional(let e): .optional(substitute(e, bindings))
        case .type(let e): .type(substitute(e, bindings))
        default: t
        }
    }
}
