import KubeAPI

/// Maps a child object to its owner's key.
public enum OwnerMapping {
    /// The key of the owner named by `metadata`'s controller owner reference (`controller: true`)
    /// when it is of `ownerResource` (same kind and apiVersion). A namespaced owner lives in the
    /// child's namespace; a cluster-scoped owner has none.
    public static func controllerOwner(of metadata: ObjectMeta, ownerResource: ResourceDescriptor) -> ObjectKey? {
        guard let ref = metadata.ownerReferences?.first(where: { $0.controller == true }),
              ref.kind == ownerResource.kind, ref.apiVersion == ownerResource.apiVersion else { return nil }
        return ObjectKey(namespace: ownerResource.namespaced ? metadata.namespace : nil, name: ref.name)
    }
}
