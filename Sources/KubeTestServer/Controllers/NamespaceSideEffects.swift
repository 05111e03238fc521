import KubeAPI

/// What a real cluster adds to every namespace:
/// - the namespace strategy sets the immutable label `kubernetes.io/metadata.name: <name>` on
///   create and on every update (a write that drops or changes it gets it back);
/// - kube-controller-manager's root-CA publisher creates ConfigMap `kube-root-ca.crt` (`ca.crt` and
///   its description annotation) in every namespace and recreates it when deleted
///   (`ServerOptions.rootCAConfigMaps`, default on).
extension StoreState {
    static let metadataNameLabel = "kubernetes.io/metadata.name"
    static let rootCAName = "kube-root-ca.crt"

    static func setMetadataNameLabel(_ namespace: inout JSONValue) {
        guard let name = namespace[path: ["metadata", "name"]]?.stringValue else { return }
        var labels = namespace[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels[metadataNameLabel] = .string(name)
        namespace.set(path: ["metadata", "labels"], to: .object(labels))
    }

    /// The publisher's reaction to a namespace or ConfigMap event.
    mutating func publishRootCA(after event: StoredEvent) {
        guard options.rootCAConfigMaps else { return }
        let ns: String
        switch event.storageKey {
        case "namespaces" where event.type == .added:
            ns = event.object[path: ["metadata", "name"]]?.stringValue ?? ""
        case "configmaps" where event.type == .deleted
            && event.object[path: ["metadata", "name"]]?.stringValue == Self.rootCAName:
            ns = event.namespace ?? ""
        default:
            return
        }
        guard let nsObj = objects["namespaces"]?[ns], nsObj[path: ["metadata", "deletionTimestamp"]] == nil,
              objects["configmaps"]?["\(ns)/\(Self.rootCAName)"] == nil else { return }
        let configMap: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(Self.rootCAName), "namespace": .string(ns), "uid": .string(ObjectNames.uid()),
                         "creationTimestamp": .string(now()),
                         "annotations": ["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."]],
            "data": ["ca.crt": .string(Self.placeholderCA)],
        ]
        commit(.added, storageKey: "configmaps", object: configMap, previous: nil)
    }

    /// A PEM-shaped stand-in: the test server has no cluster CA (its TLS, when enabled, is the test's own).
    static let placeholderCA = "-----BEGIN CERTIFICATE-----\nS1VCRVRFU1RTRVJWRVItUExBQ0VIT0xERVItQ0EtQ0VSVElGSUNBVEU=\n-----END CERTIFICATE-----\n"
}
