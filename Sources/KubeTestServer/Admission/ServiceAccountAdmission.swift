import KubeAPI

/// ServiceAccount admission for Pods (create): `serviceAccountName` defaults to `default` (the
/// deprecated `serviceAccount` mirrors it); the account must exist (else 403 `error looking up
/// service account ns/sa: serviceaccount "sa" not found`); unless automounting is off (pod first,
/// then account), a `kube-api-access-xxxxx` projected volume (token, `kube-root-ca.crt`,
/// namespace) is added and mounted read-only at `/var/run/secrets/kubernetes.io/serviceaccount`
/// in every container that does not mount that path already; the account's `imagePullSecrets`
/// are copied when the pod has none.
extension StoreState {
    static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    func serviceAccountAdmit(_ request: AdmissionRequest, _ pod: inout JSONValue) throws(APIError) {
        if pod[path: ["metadata", "annotations", "kubernetes.io/config.mirror"]] != nil { return }
        let ns = request.namespace ?? ""
        let name = pod[path: ["spec", "serviceAccountName"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        pod.set(path: ["spec", "serviceAccountName"], to: .string(name))
        pod.set(path: ["spec", "serviceAccount"], to: .string(name))
        guard let account = objects["serviceaccounts"]?["\(ns)/\(name)"] else {
            throw request.forbidden("error looking up service account \(ns)/\(name): serviceaccount \"\(name)\" not found")
        }
        let automount = pod[path: ["spec", "automountServiceAccountToken"]]?.boolValue
            ?? account["automountServiceAccountToken"]?.boolValue ?? true
        if automount { mountToken(&pod) }
        if (pod[path: ["spec", "imagePullSecrets"]]?.arrayValue ?? []).isEmpty,
           let secrets = account["imagePullSecrets"]?.arrayValue, !secrets.isEmpty {
            pod.set(path: ["spec", "imagePullSecrets"], to: .array(secrets))
        }
    }

    private func mountToken(_ pod: inout JSONValue) {
        var volumes = pod[path: ["spec", "volumes"]]?.arrayValue ?? []
        let existing = Set(volumes.compactMap { $0["name"]?.stringValue })
        var volumeName = "kube-api-access-\(ObjectNames.randomSuffix())"
        while existing.contains(volumeName) { volumeName = "kube-api-access-\(ObjectNames.randomSuffix())" }
        let mount: JSONValue = ["name": .string(volumeName), "readOnly": true, "mountPath": .string(Self.tokenMountPath)]
        var needed = false
        for key in ["initContainers", "containers"] {
            guard var list = pod[path: ["spec", key]]?.arrayValue else { continue }
            for i in list.indices {
                var mounts = list[i]["volumeMounts"]?.arrayValue ?? []
                if mounts.contains(where: { $0["mountPath"]?.stringValue == Self.tokenMountPath }) { continue }
                mounts.append(mount)
                list[i]["volumeMounts"] = .array(mounts)
                needed = true
            }
            pod.set(path: ["spec", key], to: .array(list))
        }
        guard needed else { return }
        volumes.append([
            "name": .string(volumeName),
            "projected": [
                "defaultMode": 420,
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace",
                                                "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
            ],
        ])
        pod.set(path: ["spec", "volumes"], to: .array(volumes))
    }
}
