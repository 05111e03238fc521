import KubeAPI
import Runs

/// The one place that says which namespaces codex-k8s may ever delete (SPEC §6). The sweeper, the
/// `codex-k8s sweep` command and the RunNamespace expiry path all ask it; nothing else decides.
///
/// A namespace is in scope only when every rule holds:
/// 1. it carries both `app.kubernetes.io/managed-by=codex-k8s` and `codex-k8s.dev/namespace-purpose=run`;
/// 2. it is not the control namespace, not `default`, not `kube-*` (whatever its labels say);
/// 3. its name starts with `<namespacePrefix>-` (one operator per prefix: a second installation with
///    another prefix, or another control namespace, never touches this one's namespaces).
public struct RunNamespaceScope: Sendable, Hashable {
    public var controlNamespace: String
    public var namespacePrefix: String

    public init(controlNamespace: String, namespacePrefix: String) {
        self.controlNamespace = controlNamespace
        self.namespacePrefix = namespacePrefix
    }

    public init(_ config: OperatorConfig) {
        self.init(controlNamespace: config.controlNamespace, namespacePrefix: config.namespacePrefix)
    }

    /// Why a namespace is out of scope (a metric label and a log field).
    public enum Exclusion: String, Sendable, Hashable, CaseIterable {
        /// The operator's own namespace.
        case controlNamespace = "control_namespace"
        /// `default` or `kube-*`: never touched whatever the labels.
        case protectedNamespace = "protected_namespace"
        /// Lacks the managed-by or the purpose label (someone else's namespace).
        case notLabelled = "not_labelled"
        /// Not `<namespacePrefix>-…`: another installation's.
        case otherPrefix = "other_prefix"
    }

    /// Names Kubernetes itself owns.
    public static func isProtected(_ name: String) -> Bool {
        name == "default" || name.hasPrefix("kube-")
    }

    /// The name rules alone (2 and 3): enough for a RunNamespace, which has the namespace's name.
    public func exclusion(name: String) -> Exclusion? {
        if name == controlNamespace { return .controlNamespace }
        if Self.isProtected(name) { return .protectedNamespace }
        if !name.hasPrefix(namespacePrefix + "-") { return .otherPrefix }
        return nil
    }

    /// Every rule; `nil` when the namespace is in scope.
    public func exclusion(name: String, labels: [String: String]?) -> Exclusion? {
        if let byName = exclusion(name: name) { return byName }
        return WellKnown.isManagedRunNamespace(labels) ? nil : .notLabelled
    }

    /// Whether the name alone may be one of ours (rules 2 and 3).
    public func allows(name: String) -> Bool { exclusion(name: name) == nil }

    /// Whether `name` with `labels` is in scope (every rule).
    public func contains(name: String, labels: [String: String]?) -> Bool {
        exclusion(name: name, labels: labels) == nil
    }

    /// Whether the Namespace is in scope (every rule).
    public func contains(_ namespace: Namespace) -> Bool {
        contains(name: namespace.metadata.name ?? "", labels: namespace.metadata.labels)
    }
}
