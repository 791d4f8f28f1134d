// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "agent-coordinator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coordinator", targets: ["coordinator"]),
        .library(name: "CoordinatorCore", targets: ["CoordinatorCore"]),
        .library(name: "Cedar", targets: ["Cedar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The Cedar policy language (parser, values, evaluator, schemas, validator): standalone, no coordinator imports.
        .target(
            name: "Cedar",
            swiftSettings: swiftSettings
        ),
        // Guardrail matching: a linear-time regular-expression engine and the shell-command normaliser that turns
        // commands (with their evasions) into canonical lines. Standalone, no coordinator imports.
        .target(
            name: "GuardrailMatching",
            // Optimised in debug builds too: compiling the guardrail DFA unoptimised takes seconds, and every test
            // process compiles it.
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Domain: JSON, config, identity, the storage contract and every capability's service.
        .target(
            name: "CoordinatorCore",
            dependencies: ["GuardrailMatching", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // SQL text of every migration, for both database families, compiled into the binary.
        .target(
            name: "CoordinatorSchema",
            dependencies: ["CoordinatorCore"],
            path: "database",
            exclude: ["README.md"],
            sources: ["SchemaFiles.swift"],
            resources: [
                .embedInCode("migrations"),
                .embedInCode("sqlite"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CoordinatorSQLite",
            dependencies: [
                "CoordinatorCore", "CoordinatorSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CoordinatorPostgres",
            dependencies: [
                "CoordinatorCore", "CoordinatorSchema",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CoordinatorSupabase",
            dependencies: [
                "CoordinatorCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Picks a backend from configuration.
        .target(
            name: "CoordinatorBackends",
            dependencies: ["CoordinatorCore", "CoordinatorSQLite", "CoordinatorPostgres", "CoordinatorSupabase"],
            swiftSettings: swiftSettings
        ),
        // MCP server built from the operation catalog: stdio and Streamable HTTP sessions.
        .target(
            name: "CoordinatorMCP",
            dependencies: [
                "CoordinatorCore",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP API built from the operation catalog (Hummingbird), with /mcp mounted and the OpenAPI document.
        .target(
            name: "CoordinatorHTTP",
            dependencies: [
                "CoordinatorCore", "CoordinatorMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CoordinatorCLI",
            dependencies: [
                "CoordinatorCore", "CoordinatorBackends", "CoordinatorMCP", "CoordinatorHTTP", "Cedar",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coordinator",
            dependencies: [
                "CoordinatorCLI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CedarTests",
            dependencies: ["Cedar"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GuardrailMatchingTests",
            dependencies: ["GuardrailMatching"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorCoreTests",
            dependencies: ["CoordinatorCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BackendConformanceTests",
            dependencies: [
                "CoordinatorCore", "CoordinatorBackends", "CoordinatorSQLite", "CoordinatorPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorSupabaseTests",
            dependencies: [
                "CoordinatorCore", "CoordinatorSupabase",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorMCPTests",
            dependencies: ["CoordinatorCore", "CoordinatorMCP", "CoordinatorSQLite"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorHTTPTests",
            dependencies: [
                "CoordinatorCore", "CoordinatorHTTP", "CoordinatorSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinatorCLITests",
            dependencies: ["CoordinatorCore", "CoordinatorCLI", "CoordinatorSQLite"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
