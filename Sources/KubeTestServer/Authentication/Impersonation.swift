import Foundation
import KubeAPI

extension AccessControl {
    /// The `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and `Impersonate-Extra-KEY`
    /// headers, as `WithImpersonation` applies them: each requested identity needs the
    /// `impersonate` verb on `users`, `serviceaccounts` (for `system:serviceaccount:NS:NAME`),
    /// `groups`, `uids` or `userextras/KEY` (else the real 403); the new user gets the
    /// ServiceAccount groups when none are given, and `system:authenticated` (or
    /// `system:unauthenticated` for `system:anonymous`).
    func impersonate(_ requestor: UserInfo, _ headers: [String: String],
                     _ decide: (AuthorizationAttributes) -> RBACAuthorizer.Decision) throws(APIError) -> UserInfo {
        let requestedUser = headers["impersonate-user"] ?? ""
        let requestedGroups = (headers["impersonate-group"].map { $0.split(separator: ",").map { String($0).trimmingSpaces() } } ?? [])
        let requestedUID = headers["impersonate-uid"] ?? ""
        var extras: [(String, String)] = []
        for (h, v) in headers.sorted(by: { $0.key < $1.key }) where h.hasPrefix("impersonate-extra-") {
            let key = String(h.dropFirst("impersonate-extra-".count)).removingPercentEncoding ?? ""
            for value in v.split(separator: ",") { extras.append((key, String(value).trimmingSpaces())) }
        }
        if requestedUser.isEmpty && requestedGroups.isEmpty && requestedUID.isEmpty && extras.isEmpty { return requestor }
        if requestedUser.isEmpty {
            var refs = requestedGroups.map { "{Group  \($0)    }" }
            refs += extras.map { "{UserExtra  \($0.1)  authentication.k8s.io/v1  \($0.0)}" }
            if !requestedUID.isEmpty { refs.append("{UID  \(requestedUID)  authentication.k8s.io/v1  }") }
            let text = "requested [\(refs.joined(separator: " "))] without impersonating a user"
            throw APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(text)",
                           details: ["causes": [["message": .string(text)]]])
        }
        func check(_ a: AuthorizationAttributes) throws(APIError) {
            let d = decide(a)
            if !d.allowed { throw a.forbidden(reason: d.reason) }
        }
        var groups: [String] = []
        let name = requestedUser
        if let (ns, sa) = UserInfo.splitServiceAccount(requestedUser) {
            try check(AuthorizationAttributes(user: requestor, verb: "impersonate", group: "", resource: "serviceaccounts",
                                              namespace: ns, name: sa))
            if requestedGroups.isEmpty { groups = UserInfo.serviceAccountGroups(namespace: ns) }
        } else {
            try check(AuthorizationAttributes(user: requestor, verb: "impersonate", group: "", resource: "users", name: name))
        }
        for g in requestedGroups {
            try check(AuthorizationAttributes(user: requestor, verb: "impersonate", group: "", resource: "groups", name: g))
            groups.append(g)
        }
        var extra: [String: [String]] = [:]
        for (k, v) in extras {
            try check(AuthorizationAttributes(user: requestor, verb: "impersonate", group: "authentication.k8s.io",
                                              resource: "userextras", subresource: k, name: v))
            extra[k, default: []].append(v)
        }
        if !requestedUID.isEmpty {
            try check(AuthorizationAttributes(user: requestor, verb: "impersonate", group: "authentication.k8s.io",
                                              resource: "uids", name: requestedUID))
        }
        if name != UserInfo.anonymousName {
            if !groups.contains(UserInfo.allAuthenticated) && !groups.contains(UserInfo.allUnauthenticated) {
                groups.append(UserInfo.allAuthenticated)
            }
        } else if !groups.contains(UserInfo.allUnauthenticated) {
            groups.append(UserInfo.allUnauthenticated)
        }
        return UserInfo(name: name, uid: requestedUID, groups: groups, extra: extra)
    }
}
