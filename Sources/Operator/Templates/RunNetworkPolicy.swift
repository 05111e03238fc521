import KubeAPI
import Runs

extension RunResources {
    /// The cloud metadata endpoint, excluded from every egress rule (SPEC §5).
    public static let metadataCIDR = "169.254.169.254/32"

    /// The run namespace's NetworkPolicy (SPEC §5): selects every pod; ingress only from pods of
    /// the same namespace (nothing from other namespaces); egress only to DNS (UDP and TCP 53) and
    /// the configured TCP ports (80, 443), to any IPv4 address except 169.254.169.254 and
    /// `extraDeniedCIDRs`. IPv6 egress is not allowed at all (no rule admits it).
    public static func networkPolicy(_ p: RunPlan) -> NetworkPolicy {
        let anywhere = NetworkPolicyPeer(ipBlock: IPBlock(cidr: "0.0.0.0/0",
                                                          except: [metadataCIDR] + p.config.networkPolicy.extraDeniedCIDRs))
        let dns = NetworkPolicyEgressRule(to: [anywhere], ports: [
            NetworkPolicyPort(protocol: "UDP", port: .int(53)), NetworkPolicyPort(protocol: "TCP", port: .int(53)),
        ])
        let web = NetworkPolicyEgressRule(to: [anywhere], ports: p.config.networkPolicy.egressPorts.map {
            NetworkPolicyPort(protocol: "TCP", port: .int($0))
        })
        return NetworkPolicy(metadata: p.meta(RunPlan.policyName), spec: NetworkPolicySpec(
            podSelector: LabelSelector(),
            policyTypes: ["Ingress", "Egress"],
            ingress: [NetworkPolicyIngressRule(from: [NetworkPolicyPeer(podSelector: LabelSelector())])],
            egress: [dns, web]))
    }
}
