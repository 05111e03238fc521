/// A configuration problem, naming the file, the field and (for kubeconfig files) its position.
///
/// Never contains token or key material: only paths, field names and structural messages.
public struct KubeConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kubeconfig (or in-cluster) file the problem was found in, when there is one.
    public var file: String?
    /// A dotted path to the field (`users[dev].user.client-key`), when there is one.
    public var field: String?
    public var mark: YAMLMark?
    public var message: String

    public init(file: String? = nil, field: String? = nil, mark: YAMLMark? = nil, message: String) {
        self.file = file
        self.field = field
        self.mark = mark
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let mark { parts.append("\(mark)") }
        if let field { parts.append("field \(field)") }
        return parts.isEmpty ? message : parts.joined(separator: ": ") + ": " + message
    }
}
