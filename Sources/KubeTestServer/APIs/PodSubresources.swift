import KubeAPI

/// `pods/log` (the text tests set with `FakeKubelet.setLog`) and `pods/eviction` (deletes the pod
/// unless a PodDisruptionBudget forbids it, 429 with the real cause), as kube-apiserver answers them.
struct PodSubresources {
    let store: Store

    func handle(_ request: APIRequest, _ info: RequestInfo, _ type: ResourceType,
                _ parseBody: (APIRequest) throws(APIError) -> JSONValue) throws(APIError) -> APIResponse? {
        guard type.storageKey == "pods", let name = info.name, let ns = info.namespace else { return nil }
        switch (info.subresource, info.verb) {
        case ("log"?, "get"):
            return try log(type, ns, name, request.query)
        case ("eviction"?, "create"):
            return try evict(type, ns, name, try parseBody(request))
        case ("log"?, _), ("eviction"?, _):
            throw .methodNotAllowed()
        default:
            return nil
        }
    }

    private func log(_ type: ResourceType, _ ns: String, _ name: String, _ q: [String: String]) throws(APIError) -> APIResponse {
        let pod = try store.get(type, namespace: ns, name: name)
        let containers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let container: String
        if let c = q["container"], !c.isEmpty {
            let all = containers + (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            guard all.contains(c) else { throw .badRequest("container \(c) is not valid for pod \(name)") }
            container = c
        } else if containers.count == 1 {
            container = containers[0]
        } else {
            throw .badRequest("a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]")
        }
        let text = store.state.withLock { $0.podLogs["\(ns)/\(name)/\(container)"] }
        let status = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).first { $0["name"]?.stringValue == container }
        if text == nil, status?[path: ["state", "running"]] == nil, status?[path: ["state", "terminated"]] == nil {
            let reason = status?[path: ["state", "waiting", "reason"]]?.stringValue ?? "ContainerCreating"
            throw .badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: \(reason)")
        }
        var lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let t = q["tailLines"], let n = Int(t), n >= 0 { lines = Array(lines.suffix(n)) }
        let body = lines.map { $0 + "\n" }.joined()
        return .full(code: 200, headers: [("Content-Type", "text/plain")], body: Array(body.utf8))
    }

    private func evict(_ type: ResourceType, _ ns: String, _ name: String, _ body: JSONValue) throws(APIError) -> APIResponse {
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, !bodyName.isEmpty, bodyName != name {
            throw .badRequest("name in URL does not match name in Eviction object")
        }
        return try store.withState { s throws(APIError) -> APIResponse in
            guard let pod = s.objects["pods"]?["\(ns)/\(name)"] else { throw .notFound(type, name: name) }
            let phase = pod[path: ["status", "phase"]]?.stringValue
            let ignoresBudgets = ["Succeeded", "Failed", "Pending"].contains(phase ?? "Pending")
                || pod[path: ["metadata", "deletionTimestamp"]] != nil
            if !ignoresBudgets {
                let labels = pod[path: ["metadata", "labels"]]?.objectValue
                let budgets = (s.objects[WorkloadResources.pdbs] ?? [:]).values.filter {
                    $0[path: ["metadata", "namespace"]]?.stringValue == ns
                        && LabelSelector(json: $0[path: ["spec", "selector"]] ?? [:]).matches(labels)
                }
                if budgets.count > 1 {
                    throw APIError(code: 500, reason: "InternalError",
                                   message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
                }
                if let pdb = budgets.first, StoreState.isReady(pod),
                   (pdb[path: ["status", "disruptionsAllowed"]]?.intValue ?? 0) <= 0 {
                    let pdbName = pdb[path: ["metadata", "name"]]?.stringValue ?? ""
                    let desired = pdb[path: ["status", "desiredHealthy"]]?.intValue ?? 0
                    let healthy = pdb[path: ["status", "currentHealthy"]]?.intValue ?? 0
                    throw APIError(code: 429, reason: "TooManyRequests",
                                   message: "Cannot evict pod as it would violate the pod's disruption budget.",
                                   details: ["causes": [["reason": "DisruptionBudget",
                                                         "message": .string("The disruption budget \(pdbName) needs \(desired) healthy pods and has \(healthy) currently")]]])
                }
            }
            s.deleteObject(StoreState.ref(of: pod, storageKey: "pods"), policy: nil)
            s.settle()
            return .json(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
        }
    }
}
