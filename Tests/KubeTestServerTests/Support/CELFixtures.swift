import KubeAPI

/// A realistic CRD with CEL rules of the kind the operator's own CRDs use: cross-field and
/// transition (immutability) rules, a list-map, quantities, URLs and named formats. It is
/// accepted unchanged by a real kube-apiserver 1.35 (every string and list is bounded).
enum CELFixtures {
    static func taskCRD(group: String, label: String? = nil) -> JSONValue {
        var crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("tasks.\(group)")],
            "spec": [
                "group": .string(group), "scope": "Namespaced",
                "names": ["plural": "tasks", "singular": "task", "kind": "Task"],
                "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": ["spec": [
                        "type": "object", "required": ["repository", "stage"],
                        "properties": [
                            "repository": ["type": "string", "maxLength": 200],
                            "stage": ["type": "string", "enum": ["plan", "code", "rethink", "ai-repair", "review"]],
                            "revise": ["type": "boolean"],
                            "approved": ["type": "boolean"],
                            "issue": ["type": "integer"],
                            "memory": ["type": "string", "maxLength": 20,
                                       "x-kubernetes-validations": [["rule": "isQuantity(self) && quantity(self).compareTo(quantity('8Gi')) <= 0",
                                                                     "messageExpression": "'memory ' + self + ' must be at most 8Gi'"]]],
                            "webhook": ["type": "string", "maxLength": 256,
                                        "x-kubernetes-validations": [["rule": "isURL(self) && url(self).getScheme() == 'https'",
                                                                      "message": "webhook must be an https URL"]]],
                            "branch": ["type": "string", "maxLength": 63,
                                       "x-kubernetes-validations": [["rule": "!format.dns1123Label().validate(self).hasValue()",
                                                                     "message": "branch must be a lowercase RFC 1123 label"]]],
                            "ports": ["type": "array", "maxItems": 8, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                                      "items": ["type": "object", "required": ["name"],
                                                "properties": ["name": ["type": "string", "maxLength": 15], "port": ["type": "integer"]]]],
                        ],
                        "x-kubernetes-validations": [
                            ["rule": "self.repository == oldSelf.repository", "message": "repository is immutable"],
                            ["rule": "!has(oldSelf.approved) || !oldSelf.approved || (has(self.approved) && self.approved)",
                             "message": "approved cannot be unset once set"],
                            ["rule": "!(has(self.revise) && self.revise && self.stage in ['rethink', 'ai-repair'])",
                             "message": "revise is not allowed in the rethink and ai-repair stages"],
                            ["rule": "self.?issue.orValue(1) > 0", "message": "issue must be positive", "fieldPath": ".issue"],
                        ],
                    ]],
                ]]]],
            ],
        ]
        if let label { crd.set(path: ["metadata", "labels"], to: ["conformance": .string(label)]) }
        return crd
    }

    static func task(group: String, name: String, namespace: String, spec: JSONValue) -> JSONValue {
        ["apiVersion": .string("\(group)/v1"), "kind": "Task", "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec]
    }

    /// A CRD whose only rule does not type-check (`self.a > 5` on a string).
    static func badRuleCRD(group: String, label: String? = nil) -> JSONValue {
        var crd = taskCRD(group: group, label: label)
        crd.set(path: ["spec", "versions"], to: [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": [
            "type": "object",
            "properties": ["spec": ["type": "object", "properties": ["a": ["type": "string"]],
                                    "x-kubernetes-validations": [["rule": "self.a > 5"]]]],
        ]]]])
        return crd
    }
}
