// swift-tools-version: 6.1
import PackageDescription

/// Dependency direction (one way only):
///   claimscan (CLI) → ClaimCheck → ClaimFetch, ClaimPage → ClaimText → CICU
///   ClaimFetch → CCurl
/// Text matching knows nothing of HTTP; fetching knows nothing of rules.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "claimscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "claimscan", targets: ["claimscan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C shims: libcurl's variadic setopt/getinfo, and ICU behind a stdint-only header.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n"), .linkedLibrary("icudata")]
        ),

        // Text: normalization with offset maps, lexicon, matcher, context rules.
        .target(name: "ClaimText", dependencies: ["CICU"], swiftSettings: swiftSettings),
        // Page: bytes → decoded text (charset decision) → visible text runs with raw offsets.
        .target(name: "ClaimPage", dependencies: ["ClaimText", "CICU"], swiftSettings: swiftSettings),
        // Fetch: libcurl with explicit limits, scheme and address policy, redirect hops.
        .target(
            name: "ClaimFetch",
            dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Check: target → fetch/read → page → findings → report (human / JSON Lines).
        .target(
            name: "ClaimCheck",
            dependencies: ["ClaimText", "ClaimPage", "ClaimFetch", .product(name: "Crypto", package: "swift-crypto")],
            resources: [],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "claimscan",
            dependencies: ["ClaimCheck", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // Tests. TestSupport holds the loopback HTTP server the tests start.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "FlyingFox", package: "FlyingFox")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ClaimTextTests", dependencies: ["ClaimText"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimPageTests", dependencies: ["ClaimPage"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimFetchTests", dependencies: ["ClaimFetch", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ClaimCheckTests",
            dependencies: ["ClaimCheck", "TestSupport", "claimscan"],
            swiftSettings: swiftSettings
        ),
    ]
)
