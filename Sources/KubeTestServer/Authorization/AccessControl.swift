import KubeAPI

/// How the server decides who may do what (`ServerOptions.authorization`).
public enum AuthorizationMode: Sendable, Hashable {
    /// Like a real kube-apiserver (`--authorization-mode=RBAC`): bearer tokens are checked (401 for
    /// an unknown one), requests without one run as `system:anonymous`, impersonation needs the
    /// `impersonate` verb, and every request is authorized by RBAC (403 with the real text).
    case rbac
    /// Everything is allowed for everyone, and any token is accepted (an unknown one as anonymous);
    /// reviews answer `allowed: true` unless `Store.setAccessPolicy` says otherwise.
    case alwaysAllow
}

extension KubeTestServer {
    /// The bearer token of `UserInfo.admin` (`kubernetes-admin` in `system:masters`), registered
    /// by default in `ServerOptions.staticTokens` and written by `writeKubeconfig`.
    public static let adminToken = "kube-test-server-admin-token"
}

/// The apiserver's request filters before the handler: authentication (static tokens,
/// TokenRequest tokens, anonymous), impersonation and authorization; then the requests that are
/// answered by the access layer itself (TokenRequest, the access reviews, SelfSubjectReview) and
/// the RBAC escalation checks on writes of roles and bindings.
final class AccessControl: Sendable {
    let store: Store
    let options: ServerOptions
    let tokens = ServiceAccountTokens()

    init(store: Store, options: ServerOptions) {
        self.store = store
        self.options = options
    }

    var enforcing: Bool { options.authorization == .rbac }

    /// The current RBAC objects.
    func rbac() -> RBACAuthorizer { store.state.withLock { RBACAuthorizer($0) } }

    /// Authenticates, applies impersonation and authorizes `request`; returns who it runs as.
    func admit(_ request: APIRequest, _ info: RequestInfo) throws(APIError) -> UserInfo {
        var user = try authenticate(request)
        var authorizer: RBACAuthorizer?
        func decide(_ a: AuthorizationAttributes) -> RBACAuthorizer.Decision {
            guard enforcing, !a.user.isPrivileged else { return .init(allowed: true, reason: "") }
            if authorizer == nil { authorizer = rbac() }
            return authorizer!.authorize(a)
        }
        user = try impersonate(user, request.headers, decide)
        let attributes = AuthorizationAttributes(user: user, info: info, query: request.query)
        let d = decide(attributes)
        if !d.allowed { throw attributes.forbidden(reason: d.reason) }
        return user
    }

    /// `Authorization: Bearer TOKEN` → a static token's user or a TokenRequest token's
    /// ServiceAccount; no (or a non-bearer) header → `system:anonymous`; an unknown token → 401.
    func authenticate(_ request: APIRequest) throws(APIError) -> UserInfo {
        guard let header = request.headers["authorization"]?.trimmingSpaces() else { return .anonymous }
        let parts = header.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return .anonymous }
        let token = String(parts[1])
        if let user = options.staticTokens[token] { return user.withAuthenticatedGroup() }
        if let user = serviceAccountUser(token) ?? legacyServiceAccountUser(token) { return user }
        guard enforcing else { return .anonymous }
        throw APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    /// Answers the requests the access layer owns, or runs the escalation checks of RBAC writes;
    /// nil when the request is for the regular handler.
    func intercept(_ request: APIRequest, _ info: RequestInfo, user: UserInfo, handler: APIHandler) throws(APIError) -> APIResponse? {
        guard info.isResourceRequest else { return nil }
        switch (info.group, info.resource, info.subresource, info.verb) {
        case ("", "serviceaccounts", "token"?, "create"):
            guard let ns = info.namespace, let name = info.name else { throw .notFoundPath() }
            return try tokenRequest(request, namespace: ns, name: name, body: try handler.parseBody(request))
        case ("authentication.k8s.io", "selfsubjectreviews", nil, "create"):
            return .json(201, ["kind": "SelfSubjectReview", "apiVersion": .string("authentication.k8s.io/\(info.version)"),
                               "metadata": [:], "status": ["userInfo": user.json]])
        case ("authorization.k8s.io", "subjectaccessreviews", nil, "create"),
             ("authorization.k8s.io", "selfsubjectaccessreviews", nil, "create"),
             ("authorization.k8s.io", "localsubjectaccessreviews", nil, "create"),
             ("authorization.k8s.io", "selfsubjectrulesreviews", nil, "create"):
            return try review(info, body: try handler.parseBody(request), user: user)
        case ("rbac.authorization.k8s.io", _, nil, "create"), ("rbac.authorization.k8s.io", _, nil, "update"),
             ("rbac.authorization.k8s.io", _, nil, "patch"):
            if enforcing && !user.isPrivileged { try checkEscalation(request, info, user: user, handler: handler) }
            return nil
        default:
            return nil
        }
    }
}
