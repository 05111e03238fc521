/// The run namespace's NetworkPolicy.
extension NetworkPolicy: JSONWritableResource {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.typeMeta(Self.resource)
        w.field("metadata", metadata)
        w.field("spec", spec)
        w.endObject()
    }
}

extension NetworkPolicySpec: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("podSelector", podSelector)
        w.field("policyTypes", policyTypes)
        w.field("ingress", ingress)
        w.field("egress", egress)
        w.endObject()
    }
}

extension NetworkPolicyIngressRule: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("from", from)
        w.field("ports", ports)
        w.endObject()
    }
}

extension NetworkPolicyEgressRule: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("to", to)
        w.field("ports", ports)
        w.endObject()
    }
}

extension NetworkPolicyPeer: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("podSelector", podSelector)
        w.field("namespaceSelector", namespaceSelector)
        w.field("ipBlock", ipBlock)
        w.endObject()
    }
}

extension IPBlock: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("cidr", cidr)
        w.field("except", except)
        w.endObject()
    }
}

extension NetworkPolicyPort: JSONWritable {
    public func writeJSON(into w: inout JSONWriter) {
        w.beginObject()
        w.field("protocol", self.protocol)
        w.field("port", port)
        w.field("endPort", endPort)
        w.endObject()
    }
}
