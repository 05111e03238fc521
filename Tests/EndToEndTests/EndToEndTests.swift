import Testing

/// The end-to-end suite (issue 14; docs/testing.md): the chart installed with the real helm into a
/// KubeTestServer, the `codex-k8s` binary running as two operator replicas and the webhook with
/// the chart's ServiceAccounts, signed deliveries, and the audit trail in PostgreSQL. Each test sets
/// up its own `Cluster`; one PostgreSQL server serves them all. Serialized: every test runs several
/// processes with leader election, which must not starve each other on a small machine.
@Suite(.serialized, .postgres,
       .enabled(if: Cluster.kubectl != nil, "kubectl not found (tools/bin or PATH; run scripts/install-kube-tools)"),
       .enabled(if: Cluster.helm != nil, "helm not found (tools/bin or PATH; run scripts/install-kube-tools)"))
struct EndToEndTests {}
