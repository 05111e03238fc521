import Foundation
import KubeAPI

/// Legacy ServiceAccount token Secrets (`type: kubernetes.io/service-account-token` with the
/// `kubernetes.io/service-account.name` annotation): the token controller fills `data.token`,
/// `data.namespace` and the `kubernetes.io/service-account.uid` annotation once the Secret exists
/// (so the create response, like upstream's, does not carry them yet), and the token authenticates
/// as the ServiceAccount while the Secret and the ServiceAccount exist.
extension StoreState {
    static let serviceAccountTokenType = "kubernetes.io/service-account-token"

    mutating func fillServiceAccountToken(_ secret: JSONValue) {
        guard secret["type"]?.stringValue == Self.serviceAccountTokenType, secret[path: ["data", "token"]] == nil,
              let ns = secret[path: ["metadata", "namespace"]]?.stringValue,
              let name = secret[path: ["metadata", "name"]]?.stringValue,
              let saName = secret[path: ["metadata", "annotations", "kubernetes.io/service-account.name"]]?.stringValue,
              let sa = objects["serviceaccounts"]?["\(ns)/\(saName)"],
              let uid = sa[path: ["metadata", "uid"]]?.stringValue else { return }
        let claims: JSONValue = [
            "iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": .string(ns),
            "kubernetes.io/serviceaccount/secret.name": .string(name),
            "kubernetes.io/serviceaccount/service-account.name": .string(saName),
            "kubernetes.io/serviceaccount/service-account.uid": .string(uid),
            "sub": .string(UserInfo.serviceAccountName(namespace: ns, name: saName)),
        ]
        var random = [UInt8](repeating: 0, count: 64)
        for i in random.indices { random[i] = UInt8.random(in: 0...255) }
        let header: JSONValue = ["alg": "RS256", "kid": "kube-test-server"]
        let token = [header.serialized(), claims.serialized(), random].map(ServiceAccountTokens.base64URL).joined(separator: ".")
        var updated = secret
        updated.set(path: ["data", "token"], to: .string(Data(token.utf8).base64EncodedString()))
        updated.set(path: ["data", "namespace"], to: .string(Data(ns.utf8).base64EncodedString()))
        updated.set(path: ["metadata", "annotations", "kubernetes.io/service-account.uid"], to: .string(uid))
        commit(.modified, storageKey: "secrets", object: updated, previous: secret)
    }
}

extension AccessControl {
    /// The ServiceAccount a legacy Secret token stands for, or nil.
    func legacyServiceAccountUser(_ token: String) -> UserInfo? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Self.base64URLDecode(String(parts[1])),
              let claims = try? JSONValue(parsing: payload),
              claims["iss"] == "kubernetes/serviceaccount",
              let ns = claims["kubernetes.io/serviceaccount/namespace"]?.stringValue,
              let secretName = claims["kubernetes.io/serviceaccount/secret.name"]?.stringValue,
              let saName = claims["kubernetes.io/serviceaccount/service-account.name"]?.stringValue,
              let secrets = store.resourceType(group: "", version: "v1", plural: "secrets"),
              let accounts = store.resourceType(group: "", version: "v1", plural: "serviceaccounts"),
              let secret = try? store.get(secrets, namespace: ns, name: secretName),
              secret[path: ["data", "token"]]?.stringValue == Data(token.utf8).base64EncodedString(),
              let sa = try? store.get(accounts, namespace: ns, name: saName),
              let uid = sa[path: ["metadata", "uid"]]?.stringValue,
              uid == claims["kubernetes.io/serviceaccount/service-account.uid"]?.stringValue else { return nil }
        return UserInfo(name: UserInfo.serviceAccountName(namespace: ns, name: saName), uid: uid,
                        groups: UserInfo.serviceAccountGroups(namespace: ns) + [UserInfo.allAuthenticated])
    }

    static func base64URLDecode(_ s: String) -> [UInt8]? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b).map { Array($0) }
    }
}
