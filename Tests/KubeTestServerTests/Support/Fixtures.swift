import Foundation
import KubeAPI
import KubeClient
import KubeTestServer

/// A started server plus a scratch directory, stopped and removed by `close()`.
///
/// The server serves plain HTTP and HTTPS on one port: `http()` speaks plain HTTP, `kubectl()` and
/// `client()` HTTPS (the kubeconfig of `writeKubeconfig`), as kubectl sends tokens only over TLS.
struct Fixture {
    let server: KubeTestServer
    let directory: URL

    static func start(options: ServerOptions = ServerOptions()) async throws -> Fixture {
        let server = try await KubeTestServer.start(options: options)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return Fixture(server: server, directory: dir)
    }

    func close() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A raw HTTP connection authenticated as `token` (by default the admin, `system:masters`).
    func http(token: String? = KubeTestServer.adminToken) throws -> RawHTTP { try RawHTTP(port: server.port, token: token) }

    func kubectl() throws -> Kubectl { try Kubectl(server: server, directory: directory) }

    /// A KubeClient of the server (HTTPS, trusting its CA) authenticated as `token`, by default the admin.
    func client(token: String = KubeTestServer.adminToken) throws -> KubeClient {
        let path = directory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        return try KubeClient.load(kubeconfigPath: try server.writeKubeconfig(to: path, token: token))
    }
}

/// A small CRD used across tests: namespaced `widgets.example.com` with status subresource,
/// printer columns and a schema exercising the validator.
enum TestCRDs {
    static let widget: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["fun"]],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "subresources": ["status": [:]],
                "additionalPrinterColumns": [
                    ["name": "Size", "type": "integer", "jsonPath": ".spec.size"],
                    ["name": "Color", "type": "string", "jsonPath": ".spec.color"],
                    ["name": "Phase", "type": "string", "jsonPath": ".status.phase"],
                    ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                ],
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": [
                        "spec": [
                            "type": "object", "required": ["size"],
                            "properties": [
                                "size": ["type": "integer", "minimum": 1, "maximum": 10],
                                "color": ["type": "string", "enum": ["red", "green", "blue"], "default": "red"],
                                "name": ["type": "string", "pattern": "^[a-z]+/[a-z]+$", "maxLength": 20],
                                "tags": ["type": "array", "items": ["type": "string", "minLength": 1]],
                                "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                                "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                                "note": ["type": "string", "nullable": true],
                            ],
                            "x-kubernetes-validations": [["rule": "self.size <= 5 || self.color != 'blue'",
                                                          "message": "big widgets cannot be blue"]],
                        ],
                        "status": ["type": "object", "properties": ["phase": ["type": "string"], "count": ["type": "integer"]]],
                    ],
                ]],
            ]],
        ],
    ]

    static func widget(_ name: String, size: Int64 = 3, namespace: String = "default") -> JSONValue {
        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": ["size": .int(size)]]
    }
}
