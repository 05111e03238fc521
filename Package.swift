// swift-tools-version: 6.1
// codex-k8s: a Kubernetes operator that runs AI coding agents in leased run namespaces.
// Layering (arrows point down only) is described in docs/architecture.md.
import PackageDescription

/// Swift 6 language mode is the default for tools 6.x; warnings in our code fail `scripts/test`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "codex-k8s",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "codex-k8s", targets: ["codex-k8s"]),
        .executable(name: "kube-test-server", targets: ["KubeTestServerProcess"]),
        .library(name: "KubeAPI", targets: ["KubeAPI"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KubeRuntime", targets: ["KubeRuntime"]),
        .library(name: "KubeTestServer", targets: ["KubeTestServer"]),
        .library(name: "Audit", targets: ["Audit"]),
        .library(name: "Runs", targets: ["Runs"]),
        .library(name: "Webhook", targets: ["Webhook"]),
        .library(name: "Operator", targets: ["Operator"]),
        .library(name: "GitHub", targets: ["GitHub"]),
        .library(name: "FakeGitHub", targets: ["FakeGitHub"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.36.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
    ],
    targets: [
        // MARK: C system libraries (pkg-config), with tiny inline wrappers for variadics.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        // epoll and eventfd from libc's headers (Swift's Glibc module leaves them out); no library.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),

        // MARK: Libraries
        .target(name: "KubeAPI", swiftSettings: strict),
        // YAMLNode over libyaml (line/column marks); re-exported by KubeClient.
        .target(name: "YAML", dependencies: ["KubeAPI", "CYAML"], swiftSettings: strict),
        .target(name: "KubeClient",
                dependencies: [
                    "KubeAPI", "YAML", "CCurl", "COpenSSL", "CEpoll",
                    .product(name: "Logging", package: "swift-log"),
                ],
                swiftSettings: strict),
        .target(name: "KubeTestServer",
                dependencies: [
                    "KubeAPI", "KubeClient", "COpenSSL",
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "NIOHTTP1", package: "swift-nio"),
                    .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                    .product(name: "NIOTLS", package: "swift-nio"),
                    .product(name: "NIOSSL", package: "swift-nio-ssl"),
                    .product(name: "Logging", package: "swift-log"),
                ],
                swiftSettings: strict),
        .target(name: "KubeRuntime",
                dependencies: [
                    "KubeAPI", "KubeClient",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Metrics", package: "swift-metrics"),
                    .product(name: "Prometheus", package: "swift-prometheus"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                ],
                swiftSettings: strict),
        .target(name: "Audit",
                dependencies: [
                    "KubeAPI", "KubeRuntime", "CPostgres",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Metrics", package: "swift-metrics"),
                ],
                swiftSettings: strict),
        // The product's pure domain (SPEC §2–§7): AgentRun/RunNamespace, labels, profiles, naming, config.
        .target(name: "Runs", dependencies: ["KubeAPI", "YAML", "COpenSSL"], swiftSettings: strict),
        // The GitHub webhook adapter (SPEC §4): signatures, deliveries → AgentRuns, HTTP routes.
        .target(name: "Webhook",
                dependencies: [
                    "Runs", "KubeAPI", "KubeClient", "KubeRuntime", "Audit", "COpenSSL",
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Prometheus", package: "swift-prometheus"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ],
                swiftSettings: strict),
        // The AgentRun operator (SPEC §5, §7, §9): reconciler, resource templates, slots, self-check.
        .target(name: "Operator",
                dependencies: [
                    "KubeAPI", "KubeClient", "KubeRuntime", "Runs", "Audit", "GitHub", "Webhook",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Metrics", package: "swift-metrics"),
                ],
                swiftSettings: strict),
        // The GitHub REST API (issues, comments, labels) over the libcurl transport; the reporter's client.
        .target(name: "GitHub",
                dependencies: [
                    "KubeAPI", "KubeClient",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "Metrics", package: "swift-metrics"),
                ],
                swiftSettings: strict),
        // An in-memory GitHub REST API over NIO HTTP/1.1 for tests and the playground (docs/github.md).
        .target(name: "FakeGitHub",
                dependencies: [
                    "KubeAPI",
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "NIOHTTP1", package: "swift-nio"),
                ],
                swiftSettings: strict),
        // A KubeTestServer prepared like an installed cluster (CRDs, agent roles, control namespace):
        // the playground's and the benchmarks' apiserver.
        .target(name: "LocalCluster", dependencies: ["KubeAPI", "KubeClient", "KubeTestServer", "Runs", "YAML"],
                swiftSettings: strict),
        // A throwaway local PostgreSQL server (initdb/pg_ctl) for the audit tests and benchmarks.
        .target(name: "PostgresTestServer", dependencies: ["CPostgres"], swiftSettings: strict),
        .executableTarget(name: "codex-k8s",
                          dependencies: [
                              "KubeAPI", "KubeClient", "KubeRuntime", "Audit", "Runs", "Operator", "Webhook", "GitHub",
                              "KubeTestServer", "LocalCluster", // `codex-k8s dev`: the playground's in-memory apiserver
                              "PostgresTestServer", // `codex-k8s dev --audit local`: a throwaway audit database
                              .product(name: "ArgumentParser", package: "swift-argument-parser"),
                              .product(name: "Logging", package: "swift-log"),
                              .product(name: "Prometheus", package: "swift-prometheus"),
                              .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                              .product(name: "Metrics", package: "swift-metrics"),
                          ],
                          swiftSettings: strict),

        // MARK: Benchmarks (run on demand: `swift run -c release <name>`; numbers in docs/performance.md)
        .executableTarget(name: "KubeClientBenchmarks",
                          dependencies: ["KubeAPI", "KubeClient", "WatchMemoryClient", "TestSupport",
                                         .product(name: "NIOCore", package: "swift-nio"),
                                         .product(name: "NIOPosix", package: "swift-nio"),
                                         .product(name: "NIOHTTP1", package: "swift-nio")],
                          path: "Benchmarks/KubeClientBenchmarks", swiftSettings: strict),
        // The child process of `KubeClientBenchmarks watches`: KubeClient and nothing else.
        .executableTarget(name: "WatchMemoryClient", dependencies: ["KubeAPI", "KubeClient"],
                          path: "Benchmarks/WatchMemoryClient", swiftSettings: strict),
        .executableTarget(name: "KubeTestServerBenchmarks",
                          dependencies: ["KubeAPI", "KubeClient", "KubeTestServer", "TestSupport"],
                          path: "Benchmarks/KubeTestServerBenchmarks", swiftSettings: strict),
        .executableTarget(name: "KubeRuntimeBenchmarks",
                          dependencies: ["KubeAPI", "KubeClient", "KubeRuntime", "KubeTestServer",
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/KubeRuntimeBenchmarks", swiftSettings: strict),
        // `kube-test-server`: LocalCluster in a process of its own (benchmarks), request counts on stdin command.
        .executableTarget(name: "KubeTestServerProcess",
                          dependencies: ["KubeAPI", "KubeTestServer", "LocalCluster",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Benchmarks/KubeTestServerProcess", swiftSettings: strict),
        // The operator benchmark (issue 10): drives `kube-test-server` and `codex-k8s operator` as child processes.
        .executableTarget(name: "OperatorBenchmarks", dependencies: ["KubeAPI", "KubeClient", "KubeRuntime", "Runs", "TestSupport"],
                          path: "Benchmarks/OperatorBenchmarks", swiftSettings: strict),
        .executableTarget(name: "AuditBenchmarks",
                          dependencies: ["Audit", "KubeAPI", "PostgresTestServer",
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/AuditBenchmarks", swiftSettings: strict),
        // The webhook adapter (issue 12): verify + decode on one core; end to end against `kube-test-server`.
        .executableTarget(name: "WebhookBenchmarks",
                          dependencies: ["Webhook", "Runs", "Audit", "KubeAPI", "KubeClient", "KubeRuntime", "TestSupport",
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/WebhookBenchmarks", swiftSettings: strict),

        // The sweep over 10,000 managed namespaces (issue 11): CPU, memory, API requests; drives `kube-test-server`.
        .executableTarget(name: "SweepBenchmarks",
                          dependencies: ["Operator", "Audit", "Runs", "KubeAPI", "KubeClient", "KubeRuntime", "TestSupport",
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Benchmarks/SweepBenchmarks", swiftSettings: strict),

        // MARK: Tests (Swift Testing)
        .target(name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")],
                path: "Tests/TestSupport", swiftSettings: strict),
        // TestCluster (KubeTestServer, or the real cluster of CODEX_K8S_TEST_KUBECONFIG) and CRD installation for the integration harnesses.
        .target(name: "ClusterSupport", dependencies: ["KubeAPI", "KubeClient", "KubeTestServer"],
                path: "Tests/ClusterSupport", swiftSettings: strict),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCurl", "CYAML", "CPostgres", "COpenSSL"],
                    swiftSettings: strict),
        .testTarget(name: "KubeClientTests",
                    dependencies: [
                        "KubeAPI", "KubeClient", "TestSupport",
                        .product(name: "NIOCore", package: "swift-nio"),
                        .product(name: "NIOPosix", package: "swift-nio"),
                        .product(name: "NIOHTTP1", package: "swift-nio"),
                        .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                        .product(name: "NIOHPACK", package: "swift-nio-http2"),
                        .product(name: "NIOSSL", package: "swift-nio-ssl"),
                    ],
                    swiftSettings: strict),
        .testTarget(name: "KubeTestServerTests",
                    dependencies: ["KubeAPI", "KubeClient", "KubeTestServer", "TestSupport", "ClusterSupport"],
                    swiftSettings: strict),
        .testTarget(name: "KubeRuntimeTests",
                    dependencies: ["KubeAPI", "KubeClient", "KubeRuntime", "KubeTestServer", "TestSupport",
                                   .product(name: "MetricsTestKit", package: "swift-metrics")],
                    swiftSettings: strict),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "KubeAPI", "YAML", "TestSupport"],
                    swiftSettings: strict),
        // The CRDs of CRDs/ installed over HTTP: in KubeTestServer, or a real cluster (CODEX_K8S_TEST_KUBECONFIG).
        .testTarget(name: "RunsIntegrationTests", dependencies: ["Runs", "KubeAPI", "KubeClient", "KubeTestServer", "TestSupport",
                                                                "ClusterSupport"],
                    swiftSettings: strict),
        .testTarget(name: "WebhookTests",
                    dependencies: [
                        "Webhook", "Runs", "Audit", "KubeAPI", "KubeClient", "KubeRuntime", "KubeTestServer", "COpenSSL", "TestSupport",
                        "ClusterSupport",
                        "Operator", // WebhookLeaseCloseTests: a close delivery through to the namespace leases
                        .product(name: "Logging", package: "swift-log"),
                    ],
                    swiftSettings: strict),
        // Operator: templates and scheduler (pure), the reconciler over HTTP against KubeTestServer.
        .testTarget(name: "OperatorTests",
                    dependencies: [
                        "Operator", "Runs", "Audit", "KubeAPI", "KubeClient", "KubeRuntime", "KubeTestServer", "TestSupport",
                        "ClusterSupport",
                        "GitHub", "FakeGitHub", "Webhook",
                        "PostgresTestServer", // OperatorDatabaseTests: `codex-k8s operator` writing audit rows
                        .product(name: "Logging", package: "swift-log"),
                        .product(name: "Metrics", package: "swift-metrics"),
                        .product(name: "MetricsTestKit", package: "swift-metrics"),
                    ],
                    swiftSettings: strict),
        // `codex-k8s dev` as a child process, driven with the real kubectl (PATH=/work/main/tools/bin or tools/bin).
        .testTarget(name: "PlaygroundTests", dependencies: ["TestSupport"], swiftSettings: strict),
        // The Helm chart (charts/codex-k8s) through the real helm, the Dockerfile's runtime library set.
        .testTarget(name: "ChartTests", dependencies: ["KubeAPI", "KubeClient", "KubeTestServer", "YAML", "TestSupport"],
                    swiftSettings: strict),
        // The GitHub REST client against FakeGitHubServer over real HTTP.
        .testTarget(name: "GitHubTests",
                    dependencies: [
                        "GitHub", "FakeGitHub", "KubeAPI", "KubeClient", "TestSupport",
                        .product(name: "Logging", package: "swift-log"),
                        .product(name: "MetricsTestKit", package: "swift-metrics"),
                    ],
                    swiftSettings: strict),
        // End to end (issue 14): the chart installed with helm into KubeTestServer, the codex-k8s binary as
        // two operator replicas and the webhook (ServiceAccount tokens), signed deliveries, PostgreSQL audit.
        .testTarget(name: "EndToEndTests",
                    dependencies: ["KubeAPI", "KubeClient", "KubeTestServer", "Runs", "PostgresTestServer", "COpenSSL",
                                   "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "AuditTests",
                    dependencies: [
                        "Audit", "KubeAPI", "PostgresTestServer", "KubeClient", "KubeRuntime", "KubeTestServer", "TestSupport",
                        .product(name: "Logging", package: "swift-log"),
                        .product(name: "MetricsTestKit", package: "swift-metrics"),
                    ],
                    swiftSettings: strict),
    ]
)
