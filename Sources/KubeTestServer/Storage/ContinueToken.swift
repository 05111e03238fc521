import Foundation
import KubeAPI

/// A list's `continue` token in the apiserver's own format (`k8s.io/apiserver/pkg/storage/continue.go`):
/// base64url (no padding) of `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key>"}`, where the
/// key is relative to the listed prefix (`name\u0000` in one namespace, `ns/name\u0000` across all).
/// A token that does not decode is `400 BadRequest` `invalid continue token: continue key is not valid…`.
struct ContinueToken: Equatable {
    /// The revision of the first page; -1 = the latest (a token handed out after compaction).
    var resourceVersion: Int64
    var startKey: String

    static let apiVersion = "meta.k8s.io/v1"

    /// The token continuing after `lastKey` (a `ns/name` store key) of a list in `namespace`.
    init(resourceVersion: Int64, after lastKey: String, namespace: String?) {
        self.resourceVersion = resourceVersion
        var relative = lastKey
        if let ns = namespace, lastKey.hasPrefix(ns + "/") { relative = String(lastKey.dropFirst(ns.count + 1)) }
        startKey = relative + "\u{0}"
    }

    var encoded: String {
        let json: JSONValue = ["v": .string(Self.apiVersion), "rv": .int(resourceVersion), "start": .string(startKey)]
        return Data(json.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The store key the next page starts at (inclusive), for a list in `namespace`.
    func startStoreKey(namespace: String?) -> String {
        namespace.map { "\($0)/\(startKey)" } ?? startKey
    }

    static func decode(_ text: String) throws(APIError) -> ContinueToken {
        func invalid(_ why: String) -> APIError { .badRequest("invalid continue token: \(why)") }
        let generic = "continue key is not valid"
        let bytes = Array(text.utf8)
        func isAlphabet(_ b: UInt8) -> Bool {
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 95
        }
        if let bad = bytes.firstIndex(where: { !isAlphabet($0) }) {
            throw invalid("\(generic): illegal base64 data at input byte \(bad)")
        }
        if bytes.count % 4 == 1 { throw invalid("\(generic): illegal base64 data at input byte \(bytes.count - 1)") }
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.utf8.count % 4 != 0 { b64 += "=" }
        let data = Data(base64Encoded: b64) ?? Data()
        guard let json = try? JSONValue(parsing: Array(data)), case .object = json else {
            let why = data.isEmpty ? "unexpected end of JSON input"
                : "invalid character '\(String(decoding: data.prefix(1), as: UTF8.self))' looking for beginning of value"
            throw invalid("\(generic): \(why)")
        }
        let version = json["v"]?.stringValue ?? ""
        guard version == apiVersion else {
            throw invalid("\(generic): server does not recognize this encoded version \(version)")
        }
        let rv = json["rv"]?.intValue ?? 0
        guard rv != 0 else {
            throw invalid("\(generic): incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        let start = json["start"]?.stringValue ?? ""
        guard !start.isEmpty else { throw invalid("\(generic): encoded start key empty (version meta.k8s.io/v1)") }
        let parts = start.split(separator: "/", omittingEmptySubsequences: false)
        if start.hasPrefix("/") || parts.contains(where: { $0 == ".." || $0 == "." }) || start.contains("//") {
            throw invalid("\(generic): \(start)")
        }
        var token = ContinueToken(resourceVersion: rv, after: "", namespace: nil)
        token.startKey = start
        return token
    }
}
