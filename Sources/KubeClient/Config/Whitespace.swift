/// Whitespace trimming without Foundation's `CharacterSet` (KubeClient imports only
/// FoundationEssentials; see docs/kubeclient.md).
extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines (`Character.isWhitespace`).
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
