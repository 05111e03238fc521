

/// An `authorization.k8s.io/v1` SubjectAccessReview: create it (see `KubeClient.review`) and read `status.allowed`.
public struct SubjectAccessReview: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews",
                                                    kind: "SubjectAccessReview", namespaced: false)

    public var metadata: ObjectMeta
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: SubjectAccessReviewSpec,
        status: SubjectAccessReviewStatus? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The same question about the caller itself (no `user`/`groups`).
public struct SelfSubjectAccessReview: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "authorization.k8s.io", version: "v1", plural: "selfsubjectaccessreviews",
                                                    kind: "SelfSubjectAccessReview", namespaced: false)

    public var metadata: ObjectMeta
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        spec: SubjectAccessReviewSpec,
        status: SubjectAccessReviewStatus? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Exactly one of `resourceAttributes` or `nonResourceAttributes`, and the subject.
public struct SubjectAccessReviewSpec: Codable, Sendable, Hashable {
    public var resourceAttributes: ResourceAttributes?
    public var nonResourceAttributes: NonResourceAttributes?
    public var user: String?
    public var groups: [String]?
    public var uid: String?
    public var extra: [String: [String]]?

    public init(
        resourceAttributes: ResourceAttributes? = nil,
        nonResourceAttributes: NonResourceAttributes? = nil,
        user: String? = nil,
        groups: [String]? = nil,
        uid: String? = nil,
        extra: [String: [String]]? = nil
    ) {
        self.resourceAttributes = resourceAttributes
        self.nonResourceAttributes = nonResourceAttributes
        self.user = user
        self.groups = groups
        self.uid = uid
        self.extra = extra
    }
}

/// The request being authorized (`verb` on `resource` in `group`).
public struct ResourceAttributes: Codable, Sendable, Hashable {
    public var namespace: String?
    public var verb: String?
    public var group: String?
    public var version: String?
    public var resource: String?
    public var subresource: String?
    public var name: String?

    public init(
        namespace: String? = nil,
        verb: String? = nil,
        group: String? = nil,
        version: String? = nil,
        resource: String? = nil,
        subresource: String? = nil,
        name: String? = nil
    ) {
        self.namespace = namespace
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }
}

/// A non-resource request (`/healthz`).
public struct NonResourceAttributes: Codable, Sendable, Hashable {
    public var path: String?
    public var verb: String?

    public init(path: String? = nil, verb: String? = nil) {
        self.path = path
        self.verb = verb
    }
}

/// The verdict.
public struct SubjectAccessReviewStatus: Codable, Sendable, Hashable {
    public var allowed: Bool
    public var denied: Bool?
    public var reason: String?
    public var evaluationError: String?

    public init(
        allowed: Bool = false,
        denied: Bool? = nil,
        reason: String? = nil,
        evaluationError: String? = nil
    ) {
        self.allowed = allowed
        self.denied = denied
        self.reason = reason
        self.evaluationError = evaluationError
    }
}
