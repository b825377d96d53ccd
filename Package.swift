// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "enrichd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "enrichd", targets: ["enrichd"]),
        .executable(name: "enrichctl", targets: ["enrichctl"]),
        .executable(name: "leadspace-sandbox", targets: ["leadspace-sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libsystemd, through a shim header (pkg-config: libsystemd).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // A value behind a pthread lock (Synchronization.Mutex's API, visible to ThreadSanitizer).
        .target(name: "Locking", swiftSettings: strict),
        // SplitMix64: a small deterministic generator (scheduler jitter, the sandbox's data, test inputs).
        .target(name: "SplitMix", swiftSettings: strict),
        // Linux headers the POSIX helpers need beyond Glibc's module: statfs(2), extended attributes.
        .systemLibrary(name: "CLinux"),
        // Small POSIX helpers: filesystem kind (statfs), POSIX ACLs in extended attributes, file times.
        .target(name: "POSIX", dependencies: ["CLinux"], swiftSettings: strict),
        // sd_notify, watchdog, credentials, signals and a journald LogHandler.
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", "Formats", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Text formats: strict JSON with positions, streaming CSV and JSON Lines, the CSV writer, diagnostics, and
        // text made safe for a terminal.
        .target(name: "Formats", swiftSettings: strict),
        // Jobs, shared by the daemon and the CLI: descriptor, configuration, customer sources, match keys and
        // grouping, the plan, the ledger, the lookup cache, outputs and reports; submit, retry, validate, estimate.
        .target(
            name: "Jobs",
            dependencies: [
                "Formats", "POSIX", "Spool",
                // SQLite, for the persistent lookup cache (GRDB links the system's libsqlite3).
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Connection credentials: OAuth program id + secret or a token, from files or systemd credentials.
        .target(name: "Credentials", dependencies: ["Jobs", "LeadspaceAPI", "Systemd"], swiftSettings: strict),
        // Leadspace wire types and the HTTP client.
        .target(
            name: "LeadspaceAPI",
            dependencies: [
                "Locking",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The lookup scheduler: a pure state machine and its Dispatch driver.
        .target(name: "Scheduling", dependencies: ["SplitMix"], swiftSettings: strict),
        // Spool layout, durable renames, inotify.
        .target(name: "Spool", swiftSettings: strict),
        // The daemon's runtime: wires spool, jobs, schedulers, client and systemd together.
        .target(
            name: "EnrichDaemon",
            dependencies: [
                "Systemd", "Formats", "Jobs", "Credentials", "LeadspaceAPI", "Scheduling", "Spool", "POSIX", "Locking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        // The Leadspace emulator as a library.
        .target(
            name: "LeadspaceSandbox",
            dependencies: [
                "Locking", "SplitMix",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "enrichd",
            dependencies: [
                "EnrichDaemon", "Jobs", "Credentials", "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The CLI: jobs and the spool, without the daemon's runtime.
        .executableTarget(
            name: "enrichctl",
            dependencies: [
                "Jobs", "Formats", "Spool", "Credentials", "LeadspaceAPI", "POSIX", "CLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "leadspace-sandbox",
            dependencies: ["LeadspaceSandbox", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // Shared test doubles and process helpers.
        .target(
            name: "EnrichdTestSupport",
            dependencies: ["Spool"],
            path: "Tests/EnrichdTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", "POSIX", "EnrichdTestSupport"], swiftSettings: strict),
        .testTarget(name: "POSIXTests", dependencies: ["POSIX"], swiftSettings: strict),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "SplitMix"], swiftSettings: strict),
        .testTarget(
            name: "JobsTests", dependencies: ["Jobs", "Formats", "Spool", "SplitMix", "EnrichdTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], swiftSettings: strict),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "EnrichdTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "LeadspaceTests",
            dependencies: ["LeadspaceAPI", "LeadspaceSandbox", "EnrichdTestSupport"],
            swiftSettings: strict
        ),
        // The daemon's logic without processes: the job lifecycle, status, recovery decisions.
        .testTarget(
            name: "DaemonTests",
            dependencies: ["EnrichDaemon", "Jobs", "Formats", "Spool", "Locking", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SystemTests",
            dependencies: ["EnrichdTestSupport", "Jobs", "Formats", "Spool", "SplitMix"],
            swiftSettings: strict
        ),
    ]
)
