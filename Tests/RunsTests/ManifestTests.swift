import Foundation
import KubeAPI
import Runs
import Testing
import YAML

/// The manifests of CRDs/: the embedded copy, the §7 ClusterRole policy, and the typed models
/// against the CRD schemas.
@Suite struct ManifestTests {
    static func documents(_ text: String) throws -> [JSONValue] {
        try YAMLNode.parseDocuments(Array(text.utf8)).map { try $0.jsonValue() }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.serialized()))
    }

    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue(parsing: [UInt8](JSONEncoder().encode(value)))
    }

    @Test func embeddedCopyEqualsTheFiles() throws {
        for (path, text) in EmbeddedManifests.files {
            #expect(try RepositoryFiles.text(path) == text, "\(path) changed: run scripts/embed-manifests")
        }
        let crds = try Self.documents(EmbeddedManifests.crds)
        #expect(crds.map { $0[path: ["metadata", "name"]]?.stringValue } == ["agentruns.codex-k8s.dev", "runnamespaces.codex-k8s.dev"])
    }

    @Test func crdNamesAndColumns() throws {
        let crds = try Self.documents(EmbeddedManifests.crds)
        let names = crds.map { $0[path: ["spec", "names"]] }
        #expect(names[0]?["shortNames"] == ["ar"] && names[1]?["shortNames"] == ["rns"])
        #expect(names[0]?["categories"] == ["codex"] && names[1]?["categories"] == ["codex"])
        let columns = crds.map { crd in
            (crd[path: ["spec", "versions"]]?.arrayValue?.first?["additionalPrinterColumns"]?.arrayValue ?? []).map {
                ($0["name"]?.stringValue?.uppercased() ?? "", $0["priority"]?.intValue ?? 0)
            }
        }
        #expect(columns[0].filter { $0.1 == 0 }.map(\.0) == ["REPO", "ISSUE", "STAGE", "PHASE", "AGE"])
        #expect(columns[0].map(\.0) == ["REPO", "ISSUE", "STAGE", "PHASE", "REASON", "NAMESPACE", "LEASE", "AGE"])
        #expect(columns[1].filter { $0.1 == 0 }.map(\.0) == ["REPO", "ISSUE", "STAGE", "PHASE", "EXPIRES", "AGE"])
        for crd in crds {
            #expect(crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["subresources", "status"]] == [:])
        }
    }

    @Test func crdEnumsMatchTheSwiftEnums() throws {
        let crds = try Self.documents(EmbeddedManifests.crds)
        let spec = crds[0][path: ["spec", "versions"]]!.arrayValue![0][path: ["schema", "openAPIV3Schema", "properties"]]!
        func enumValues(_ path: [String]) -> [String] { spec[path: path]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        #expect(enumValues(["spec", "properties", "stage"]) == Stage.allCases.map(\.rawValue))
        #expect(enumValues(["spec", "properties", "mode"]) == RunMode.allCases.map(\.rawValue))
        #expect(enumValues(["spec", "properties", "reasoning"]) == Reasoning.allCases.map(\.rawValue))
        #expect(enumValues(["status", "properties", "phase"]) == AgentRunPhase.allCases.map(\.rawValue))
        #expect(enumValues(["status", "properties", "profileSource", "properties", "model"]) == ProfileSource.allCases.map(\.rawValue))
        let rns = crds[1][path: ["spec", "versions"]]!.arrayValue![0][path: ["schema", "openAPIV3Schema", "properties"]]!
        #expect(rns[path: ["spec", "properties", "role", "enum"]]?.arrayValue?.compactMap(\.stringValue) == Role.allCases.map(\.rawValue))
        #expect(rns[path: ["status", "properties", "phase", "enum"]]?.arrayValue?.compactMap(\.stringValue)
                == RunNamespacePhase.allCases.map(\.rawValue))
        #expect(spec[path: ["spec", "properties", "timeout", "pattern"]]?.stringValue == RunDuration.pattern)
    }

    /// Every key the typed model writes exists in the CRD schema (else the apiserver would prune it),
    /// and decoding what was encoded gives the same value.
    @Test func typedModelsRoundTripThroughTheSchema() throws {
        let crds = try Self.documents(EmbeddedManifests.crds)
        func schema(_ i: Int) -> JSONValue { crds[i][path: ["spec", "versions"]]!.arrayValue![0][path: ["schema", "openAPIV3Schema"]]! }
        let run = Samples.fullAgentRun
        let runJSON = try Self.encode(run)
        #expect(Self.unknownPaths(runJSON, schema: schema(0)) == [])
        #expect(try Self.decode(AgentRun.self, runJSON) == run)
        let rns = Samples.fullRunNamespace
        let rnsJSON = try Self.encode(rns)
        #expect(Self.unknownPaths(rnsJSON, schema: schema(1)) == [])
        #expect(try Self.decode(RunNamespace.self, rnsJSON) == rns)
        #expect(RunValidation.validate(run).isEmpty && RunValidation.validate(rns).isEmpty)
    }

    /// Paths in `value` that the structural schema does not declare.
    static func unknownPaths(_ value: JSONValue, schema: JSONValue, path: String = "") -> [String] {
        switch value {
        case .object(let o):
            if schema["x-kubernetes-int-or-string"] != nil { return [] }
            let props = schema["properties"]?.objectValue
            var out: [String] = []
            for (k, v) in o {
                let sub = path.isEmpty ? k : "\(path).\(k)"
                if path == "metadata" { continue }
                if let p = props?[k] { out += unknownPaths(v, schema: p, path: sub) }
                else if let extra = schema["additionalProperties"], extra.objectValue != nil { out += unknownPaths(v, schema: extra, path: sub) }
                else { out.append(sub) }
            }
            return out
        case .array(let a):
            return a.enumerated().flatMap { unknownPaths($1, schema: schema["items"] ?? [:], path: "\(path)[\($0)]") }
        default:
            return []
        }
    }

    @Test func agentClusterRolesObeySection7() throws {
        let roles = try Self.documents(EmbeddedManifests.agentClusterRoles).map { try Self.decode(ClusterRole.self, $0) }
        #expect(roles.map(\.metadata.name) == [AgentClusterRoles.fullEnv, AgentClusterRoles.codeOnly])
        for role in roles { #expect(ClusterRolePolicy.violations(role) == [], "\(role.metadata.name ?? "")") }
        let full = roles[0].rules ?? []
        func grants(_ group: String, _ resource: String, _ verb: String) -> Bool {
            full.contains { ($0.apiGroups ?? []).contains(group) && ($0.resources ?? []).contains(resource) && $0.verbs.contains(verb) }
        }
        for r in ["pods", "services", "configmaps", "persistentvolumeclaims"] { #expect(grants("", r, "create")) }
        #expect(grants("", "pods/log", "get") && grants("", "pods/exec", "create") && grants("", "pods/portforward", "create"))
        #expect(grants("", "events", "list") && grants("apps", "deployments", "create") && grants("apps", "statefulsets", "patch"))
        #expect(grants("batch", "jobs", "create") && grants("networking.k8s.io", "ingresses", "create"))
        let readOnly = (roles[1].rules ?? []).flatMap(\.verbs)
        #expect(Set(readOnly) == ["get", "list", "watch"])
    }

    static let forbidden: [(PolicyRule, ClusterRoleViolation.Kind)] = [
        (PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"]), .secrets),
        (PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["list"]), .secrets),
        (PolicyRule(apiGroups: ["*"], resources: ["pods"], verbs: ["get"]), .wildcard),
        (PolicyRule(apiGroups: [""], resources: ["*"], verbs: ["get"]), .wildcard),
        (PolicyRule(apiGroups: [""], resources: ["pods/*"], verbs: ["get"]), .wildcard),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["*"]), .wildcard),
        (PolicyRule(apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"]), .rbac),
        (PolicyRule(apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["get"]), .rbac),
        (PolicyRule(apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"]), .serviceAccountToken),
        (PolicyRule(apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["delete"]), .networkPolicies),
        (PolicyRule(apiGroups: [""], resources: ["resourcequotas"], verbs: ["update"]), .resourceQuotas),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["escalate"]), .privilegedVerb),
        (PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["bind"]), .privilegedVerb),
        (PolicyRule(apiGroups: [""], resources: ["users"], verbs: ["impersonate"]), .privilegedVerb),
    ]

    @Test(arguments: forbidden) func eachForbiddenRuleIsNamed(rule: PolicyRule, kind: ClusterRoleViolation.Kind) {
        let allowed = PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["get"])
        let role = ClusterRole(metadata: ObjectMeta(name: "r"), rules: [allowed, rule])
        let found = ClusterRolePolicy.violations(role)
        #expect(found.map(\.kind) == [kind])
        #expect(found.first?.field == "rules[1]")
        #expect(found.first?.description.hasPrefix("ClusterRole r: rules[1]: ") == true)
    }

    @Test func aggregatedRolesAreRefused() {
        let role = ClusterRole(metadata: ObjectMeta(name: "agg"), aggregationRule: ["clusterRoleSelectors": []])
        #expect(ClusterRolePolicy.violations(role).map(\.kind) == [.aggregation])
    }
}

/// Reasons are an open set: the schema's pattern admits every known one, and an unknown reason
/// (from a newer operator) still decodes.
@Suite struct ReasonTests {
    @Test func knownReasonsMatchTheSchemaPatternAndUnknownOnesDecode() throws {
        for reason in AgentRunReason.known {
            let scalars = Array(reason.rawValue.unicodeScalars)
            #expect(scalars.count <= 64 && ("A"..."Z").contains(scalars[0]))
            #expect(scalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        }
        #expect(Set(AgentRunReason.known).count == AgentRunReason.known.count)
        let status = try ManifestTests.decode(AgentRunStatus.self, ["phase": "Failed", "reason": "SomethingNew"])
        #expect(status.reason == AgentRunReason("SomethingNew"))
        #expect(try ManifestTests.encode(AgentRunStatus(reason: .jobFailed)) == ["reason": "JobFailed"])
    }
}
