import KubeAPI

/// Who a request runs as, after authentication and impersonation (`user.Info` in k8s.io/apiserver).
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    public static let anonymousName = "system:anonymous"
    public static let allAuthenticated = "system:authenticated"
    public static let allUnauthenticated = "system:unauthenticated"
    /// Members of this group are allowed everything (the apiserver's privileged-group authorizer).
    public static let privilegedGroup = "system:masters"

    /// `system:anonymous` in `system:unauthenticated`: a request without credentials.
    public static let anonymous = UserInfo(name: anonymousName, groups: [allUnauthenticated])

    /// The identity of `KubeTestServer.adminToken`: a cluster administrator (`system:masters`).
    public static let admin = UserInfo(name: "kubernetes-admin", groups: [privilegedGroup])

    /// `system:serviceaccount:NS:NAME`.
    public static func serviceAccountName(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }

    /// `system:serviceaccounts`, `system:serviceaccounts:NS`.
    public static func serviceAccountGroups(namespace: String) -> [String] {
        ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"]
    }

    /// Splits `system:serviceaccount:NS:NAME` into (NS, NAME); nil for any other user name.
    public static func splitServiceAccount(_ user: String) -> (namespace: String, name: String)? {
        let prefix = "system:serviceaccount:"
        guard user.hasPrefix(prefix) else { return nil }
        let parts = user.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The user as an authenticator hands it on: `system:authenticated` added to every
    /// non-anonymous user that does not already carry it (the AuthenticatedGroupAdder).
    func withAuthenticatedGroup() -> UserInfo {
        guard name != Self.anonymousName, !groups.contains(Self.allAuthenticated) else { return self }
        var u = self
        u.groups.append(Self.allAuthenticated)
        return u
    }

    var isPrivileged: Bool { groups.contains(Self.privilegedGroup) }

    /// `{"username":…,"uid":…,"groups":[…],"extra":{…}}` as in `authentication.k8s.io/v1 UserInfo`.
    var json: JSONValue {
        var o: [String: JSONValue] = ["username": .string(name)]
        if !uid.isEmpty { o["uid"] = .string(uid) }
        if !groups.isEmpty { o["groups"] = .array(groups.map(JSONValue.string)) }
        if !extra.isEmpty { o["extra"] = .object(extra.mapValues { .array($0.map(JSONValue.string)) }) }
        return .object(o)
    }
}
