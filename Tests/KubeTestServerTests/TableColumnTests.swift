import Foundation
import KubeAPI
import KubeTestServer
import Testing

/// Table column definitions as the real printers declare them (FINDINGS C).
struct TableColumnTests {
    static let table = ["Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"]

    static func columns(_ http: RawHTTP, _ path: String) throws -> [JSONValue] {
        try http.request("GET", path, headers: table).json["columnDefinitions"]?.arrayValue ?? []
    }

    @Test func columnTypesAndWideColumnsMatchTheRealPrinters() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        let cm = try Self.columns(http, "/api/v1/namespaces/default/configmaps")
        #expect(cm.first { $0["name"] == "Data" }?["type"] == "string")
        let crds = try Self.columns(http, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        #expect(crds.first { $0["name"] == "Created At" }?["type"] == "date")
        let deployments = try Self.columns(http, "/apis/apps/v1/namespaces/default/deployments")
        #expect(deployments.map { $0["name"]?.stringValue ?? "" } == ["Name", "Ready", "Up-to-date", "Available", "Age",
                                                                      "Containers", "Images", "Selector"])
        #expect(deployments.filter { $0["priority"] == 1 }.count == 3)
        let services = try Self.columns(http, "/api/v1/namespaces/default/services")
        #expect(services.map { $0["name"]?.stringValue ?? "" } == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
        _ = try http.request("POST", "/api/v1/namespaces/default/services",
                             body: ["metadata": ["name": "s"], "spec": ["type": "NodePort", "selector": ["app": "a"], "ports": [["port": 80]]]])
        let row = try http.request("GET", "/api/v1/namespaces/default/services/s", headers: Self.table).json["rows"]?[item: 0]?["cells"]
        let port = row?[item: 4]?.stringValue ?? ""
        #expect(port.hasPrefix("80:") && port.hasSuffix("/TCP"), "\(port)")
        #expect(row?[item: 6] == "app=a")
        try await f.close()
    }

    @Test func operatorKindsHaveTheRealColumnsAndWideColumns() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        func names(_ path: String) throws -> [String] { try Self.columns(http, path).map { $0["name"]?.stringValue ?? "" } }
        func wide(_ path: String) throws -> [String] {
            try Self.columns(http, path).filter { $0["priority"] == 1 }.map { $0["name"]?.stringValue ?? "" }
        }
        #expect(try names("/apis/batch/v1/namespaces/default/jobs") == ["Name", "Status", "Completions", "Duration", "Age",
                                                                         "Containers", "Images", "Selector"])
        #expect(try wide("/api/v1/namespaces/default/pods") == ["IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(try wide("/api/v1/namespaces/default/events") == ["Subobject", "Source", "First Seen", "Count", "Name"])
        #expect(try names("/apis/networking.k8s.io/v1/namespaces/default/networkpolicies") == ["Name", "Pod-Selector", "Age"])
        #expect(try names("/api/v1/namespaces/default/resourcequotas") == ["Name", "Age", "Request", "Limit"])
        #expect(try names("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings")
            == ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"])
        #expect(try Self.columns(http, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles").last?["name"] == "Created At")
        #expect(try Self.columns(http, "/api/v1/namespaces/default/configmaps").last?["type"] == "string", "Age is a string column")
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "held"],
                              "spec": ["suspend": true, "template": ["spec": ["restartPolicy": "Never",
                                                                               "containers": [["name": "c", "image": "busybox"]]]]]]
        #expect(try http.request("POST", "/apis/batch/v1/namespaces/default/jobs", body: job).status == 201)
        let row = try http.request("GET", "/apis/batch/v1/namespaces/default/jobs/held", headers: Self.table).json["rows"]?[item: 0]?["cells"]
        #expect(row?[item: 1] == "Suspended")
        #expect(row?[item: 5] == "c")
        try await f.close()
    }

    @Test func tableWatchesSendTheColumnDefinitionsOnlyOnce() async throws {
        let f = try await Fixture.start()
        let http = try f.http()
        for name in ["a", "b"] {
            _ = try http.request("POST", "/api/v1/namespaces/default/configmaps", body: ["metadata": ["name": .string(name)]])
        }
        let watch = try f.http()
        let (status, _) = try watch.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=30", headers: Self.table)
        #expect(status == 200)
        let first = try #require(try watch.nextEvent())
        let second = try #require(try watch.nextEvent())
        #expect(first[path: ["object", "columnDefinitions"]]?.arrayValue?.isEmpty == false)
        #expect(second[path: ["object", "columnDefinitions"]] == .null)
        #expect(second[path: ["object", "rows"]]?.arrayValue?.count == 1)
        try await f.close()
    }
}
