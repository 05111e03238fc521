/// The two agent ClusterRoles of `CRDs/agent-clusterroles.yaml` (SPEC §5, §7).
public enum AgentClusterRoles {
    public static let fullEnv = "codex-k8s-agent-full-env"
    public static let codeOnly = "codex-k8s-agent-code-only"
    public static let all = [fullEnv, codeOnly]
}
