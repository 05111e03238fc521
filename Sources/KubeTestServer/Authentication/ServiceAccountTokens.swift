import Foundation
import KubeAPI
import Synchronization

/// The ServiceAccount tokens the server issued through TokenRequest
/// (`POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`).
///
/// Tokens look like the real ones (a JWT with the `kubernetes.io` claims), but are validated by
/// lookup, not by signature: a token is accepted while it has not expired and its ServiceAccount
/// still exists with the same uid. It then authenticates as `system:serviceaccount:NS:NAME` in
/// `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`.
final class ServiceAccountTokens: Sendable {
    struct Issued: Sendable {
        var namespace: String
        var name: String
        var uid: String
        var jti: String
        var expires: Double
        /// The object the token is bound to (Pod or Secret): the token dies with it.
        var bound: BoundObject?
    }

    struct BoundObject: Sendable {
        var plural: String
        var name: String
        var uid: String
        /// `authentication.kubernetes.io/pod-name` etc., for the user's extra.
        var extra: [String: [String]]
    }

    private let issued = Mutex<[String: Issued]>([:])

    static let issuer = "https://kubernetes.default.svc.cluster.local"

    func issue(namespace: String, name: String, uid: String, audiences: [String], now: Double, seconds: Int64,
               bound: BoundObject?) -> (String, Issued) {
        let jti = UUID().uuidString.lowercased()
        let exp = now + Double(seconds)
        let header: JSONValue = ["alg": "RS256", "kid": "kube-test-server"]
        let claims: JSONValue = [
            "aud": .array(audiences.map(JSONValue.string)), "exp": .int(Int64(exp)), "iat": .int(Int64(now)),
            "iss": .string(Self.issuer), "jti": .string(jti), "nbf": .int(Int64(now)),
            "sub": .string(UserInfo.serviceAccountName(namespace: namespace, name: name)),
            "kubernetes.io": ["namespace": .string(namespace), "serviceaccount": ["name": .string(name), "uid": .string(uid)]],
        ]
        var random = [UInt8](repeating: 0, count: 64)
        for i in random.indices { random[i] = UInt8.random(in: 0...255) }
        let token = [Self.base64URL(header.serialized()), Self.base64URL(claims.serialized()), Self.base64URL(random)]
            .joined(separator: ".")
        let record = Issued(namespace: namespace, name: name, uid: uid, jti: jti, expires: exp, bound: bound)
        issued.withLock { $0[token] = record }
        return (token, record)
    }

    func lookup(_ token: String) -> Issued? { issued.withLock { $0[token] } }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension AccessControl {
    /// `POST …/serviceaccounts/NAME/token`: a TokenRequest answered with a new token (201).
    func tokenRequest(_ request: APIRequest, namespace: String, name: String, body: JSONValue) throws(APIError) -> APIResponse {
        guard let saType = store.resourceType(group: "", version: "v1", plural: "serviceaccounts") else { throw .notFoundPath() }
        let sa = try store.get(saType, namespace: namespace, name: name)
        var spec = body["spec"]?.objectValue ?? [:]
        let seconds = spec["expirationSeconds"]?.intValue ?? 3600
        let trType = ResourceType(group: "authentication.k8s.io", version: "v1", plural: "tokenrequests", kind: "TokenRequest",
                                  namespaced: true)
        if seconds < 600 {
            throw .invalid(trType, name: name, causes: [.invalid("spec.expirationSeconds", .int(seconds),
                                                                 "may not specify a duration less than 10 minutes")])
        }
        if seconds > 1 << 32 {
            throw .invalid(trType, name: name, causes: [.invalid("spec.expirationSeconds", .int(seconds),
                                                                 "may not specify a duration larger than 2^32 seconds")])
        }
        var audiences = (spec["audiences"]?.arrayValue ?? []).compactMap(\.stringValue)
        if audiences.isEmpty { audiences = [ServiceAccountTokens.issuer] }
        spec["audiences"] = .array(audiences.map(JSONValue.string))
        spec["expirationSeconds"] = .int(seconds)
        if spec["boundObjectRef"] == nil { spec["boundObjectRef"] = .null }
        let bound = try boundObject(spec["boundObjectRef"] ?? .null, namespace: namespace, serviceAccount: name)
        let now = store.now()
        let (token, record) = tokens.issue(namespace: namespace, name: name,
                                           uid: sa[path: ["metadata", "uid"]]?.stringValue ?? "", audiences: audiences,
                                           now: now, seconds: seconds, bound: bound)
        let out: JSONValue = [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["name": .string(name), "namespace": .string(namespace),
                         "creationTimestamp": .string(KubeTime(secondsSince1970: now).rfc3339)],
            "spec": .object(spec),
            "status": ["token": .string(token), "expirationTimestamp": .string(KubeTime(secondsSince1970: record.expires).rfc3339)],
        ]
        return .json(201, out)
    }

    /// The user a TokenRequest token stands for, or nil if it is unknown, expired, or its
    /// ServiceAccount (or the Pod/Secret it is bound to) is gone.
    func serviceAccountUser(_ token: String) -> UserInfo? {
        guard let t = tokens.lookup(token), t.expires > store.now(),
              let saType = store.resourceType(group: "", version: "v1", plural: "serviceaccounts"),
              let sa = try? store.get(saType, namespace: t.namespace, name: t.name),
              sa[path: ["metadata", "uid"]]?.stringValue == t.uid else { return nil }
        var extra = ["authentication.kubernetes.io/credential-id": ["JTI=\(t.jti)"]]
        if let b = t.bound {
            guard let type = store.resourceType(group: "", version: "v1", plural: b.plural),
                  let o = try? store.get(type, namespace: t.namespace, name: b.name),
                  o[path: ["metadata", "uid"]]?.stringValue == b.uid else { return nil }
            extra.merge(b.extra) { a, _ in a }
        }
        return UserInfo(name: UserInfo.serviceAccountName(namespace: t.namespace, name: t.name), uid: t.uid,
                        groups: UserInfo.serviceAccountGroups(namespace: t.namespace) + [UserInfo.allAuthenticated],
                        extra: extra)
    }

    /// `spec.boundObjectRef` checked like `TokenREST.Create`: a Pod (running as this
    /// ServiceAccount) or a Secret of the namespace, with a matching uid when one is given.
    func boundObject(_ ref: JSONValue, namespace: String, serviceAccount: String) throws(APIError) -> ServiceAccountTokens.BoundObject? {
        guard case .object = ref else { return nil }
        let kind = ref["kind"]?.stringValue ?? ""
        let apiVersion = ref["apiVersion"]?.stringValue ?? ""
        let name = ref["name"]?.stringValue ?? ""
        let plural: String
        switch (apiVersion, kind) {
        case ("v1", "Pod"): plural = "pods"
        case ("v1", "Secret"): plural = "secrets"
        default:
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let version = apiVersion.split(separator: "/").last.map(String.init) ?? ""
            throw .badRequest("cannot bind token to object of type \(group)/\(version), Kind=\(kind)")
        }
        guard let type = store.resourceType(group: "", version: "v1", plural: plural) else { throw .notFoundPath() }
        let object = try store.get(type, namespace: namespace, name: name)
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        var extra: [String: [String]] = [:]
        if kind == "Pod" {
            let podSA = object[path: ["spec", "serviceAccountName"]]?.stringValue ?? "default"
            if podSA != serviceAccount {
                throw .badRequest("cannot bind token for serviceaccount \"\(serviceAccount)\" to pod running with different serviceaccount name.")
            }
            extra = ["authentication.kubernetes.io/pod-name": [name], "authentication.kubernetes.io/pod-uid": [uid]]
            if let node = object[path: ["spec", "nodeName"]]?.stringValue { extra["authentication.kubernetes.io/node-name"] = [node] }
        }
        if let want = ref["uid"]?.stringValue, !want.isEmpty, want != uid {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(kind) \"\(name)\": the UID in the bound object reference (\(want)) does not match the UID in record. The object might have been deleted and then recreated",
                           details: ["name": .string(name), "kind": .string(kind)])
        }
        return .init(plural: plural, name: name, uid: uid, extra: extra)
    }
}

extension Store {
    /// The server clock, in seconds since 1970.
    func now() -> Double { state.withLock { $0.clock() } }
}
