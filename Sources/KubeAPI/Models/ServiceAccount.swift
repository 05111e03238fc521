

/// A `v1` ServiceAccount.
public struct ServiceAccount: KubeResource, Hashable {
    public static let resource = ResourceDescriptor(group: "", version: "v1", plural: "serviceaccounts",
                                                    kind: "ServiceAccount", namespaced: true)

    public var metadata: ObjectMeta
    /// Whether pods using it get an API token mounted by default.
    public var automountServiceAccountToken: Bool?
    public var secrets: [ObjectReference]?
    public var imagePullSecrets: [LocalObjectReference]?

    public init(
        metadata: ObjectMeta = ObjectMeta(),
        automountServiceAccountToken: Bool? = nil,
        secrets: [ObjectReference]? = nil,
        imagePullSecrets: [LocalObjectReference]? = nil
    ) {
        self.metadata = metadata
        self.automountServiceAccountToken = automountServiceAccountToken
        self.secrets = secrets
        self.imagePullSecrets = imagePullSecrets
    }
}
