// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Dependency direction (one way only):
///   claimscan (CLI) → ClaimScan → ClaimCheck → ClaimFetch, ClaimPage → ClaimText → CICU
///   ClaimScan → ClaimCrawl (→ ClaimFetch, ClaimPage), ClaimEvidence (WARC), ClaimCases (SQLite)
///   ClaimFetch → CCurl; ClaimEvidence → CZlib
///   claimscan → ClaimCasesPostgres (→ ClaimCases, PostgresNIO), only with the `Postgres` trait (default on)
/// ClaimCases knows nothing of HTTP or matching; ClaimCrawl nothing of SQL or rules.
/// Text matching knows nothing of HTTP; fetching knows nothing of rules.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Memory: the toolchain links with gold, exports every symbol of the package's objects
// (-export-dynamic) and leaves ~120,000 relative relocations in .rela.dyn; the loader reads
// all of that at start-up (~5.7 MB of the binary resident for the whole run). lld (shipped
// with the Swift toolchain) with packed relative relocations (DT_RELR, glibc ≥ 2.36) and no
// exported symbols keeps the binary a PIE and takes ~8 MiB off a crawl's peak RSS.
//
// Code layout: the kernel maps a binary's code 64 KB around each page fault, so the ~1.7 MB of
// functions a crawl executes, scattered over 27 MB of code, kept ~13 MB of it resident. lld
// places the functions listed in linker/symbol-order.txt (executed in a profiled crawl and
// check, hottest first; scripts/gen-symbol-order.sh) together at the start of .text.
// Without the file (a copy of the sources that lacks it) the build links in the default order.
let symbolOrder = Context.packageDirectory + "/linker/symbol-order.txt"
let claimscanLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
        .when(platforms: [.linux])),
] + (FileManager.default.fileExists(atPath: symbolOrder) ? [
    .unsafeFlags(
        ["-Xlinker", "--symbol-ordering-file=\(symbolOrder)", "-Xlinker", "--no-warn-symbol-ordering"],
        .when(platforms: [.linux], configuration: .release)),
] : [])

let package = Package(
    name: "claimscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "claimscan", targets: ["claimscan"]),
    ],
    // `swift build --disable-default-traits` gives a SQLite-only claimscan without postgres-nio.
    traits: [
        .trait(name: "Postgres", description: "PostgreSQL case queue (--db postgres://…) and cooperating scan workers"),
        .default(enabledTraits: ["Postgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C shims: libcurl's variadic setopt/getinfo, and ICU behind a stdint-only header.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's mallopt, for the crawl's allocator thresholds (ClaimScan.MallocPolicy).
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n"), .linkedLibrary("icudata")]
        ),

        // Tables computed from ICU at development time, committed as C data (no start-up cost).
        .target(name: "CClaimTables"),

        // Text: normalization with offset maps, lexicon, matcher, context rules.
        .target(name: "ClaimText", dependencies: ["CICU", "CClaimTables"], swiftSettings: swiftSettings),
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
        // Crawl: polite breadth-first site crawler on libcurl's multi interface, robots.txt, sitemaps.
        .target(name: "ClaimCrawl", dependencies: ["ClaimFetch", "ClaimPage", "CCurl"], swiftSettings: swiftSettings),
        // Evidence: WARC 1.1 writer and reader (gzip per record).
        .target(
            name: "ClaimEvidence",
            dependencies: ["CZlib", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Cases: the supervision case queue (agencies, runs, pages, cases, audit) in SQLite.
        .target(name: "ClaimCases", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        // Cases on PostgreSQL: the same queue for many machines, and leases for cooperating workers.
        .target(
            name: "ClaimCasesPostgres",
            dependencies: ["ClaimCases", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),
        // Scan: the scheduled job — registry → crawl → check → evidence → case queue.
        .target(
            name: "ClaimScan",
            dependencies: ["ClaimCheck", "ClaimCrawl", "ClaimEvidence", "ClaimCases", "CMalloc"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "claimscan",
            dependencies: [
                "ClaimCheck", "ClaimScan", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "ClaimCasesPostgres", condition: .when(traits: ["Postgres"])),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: claimscanLinkerSettings
        ),

        // Tests. TestSupport holds the loopback HTTP server the tests start.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "FlyingFox", package: "FlyingFox")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ClaimTextTests", dependencies: ["ClaimText", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimPageTests", dependencies: ["ClaimPage", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimFetchTests", dependencies: ["ClaimFetch", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimCrawlTests", dependencies: ["ClaimCrawl", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ClaimEvidenceTests", dependencies: ["ClaimEvidence", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ClaimCasesTests",
            dependencies: ["ClaimCases", "TestSupport", .target(name: "ClaimCasesPostgres", condition: .when(traits: ["Postgres"]))],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ClaimScanTests", dependencies: ["ClaimScan", "TestSupport", "claimscan"], swiftSettings: swiftSettings),
        // Cooperating workers: several claimscan processes on one PostgreSQL (needs the Postgres trait).
        .testTarget(
            name: "ClaimWorkersTests",
            dependencies: [
                "ClaimCases", "TestSupport", "claimscan",
                .target(name: "ClaimCasesPostgres", condition: .when(traits: ["Postgres"])),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: claimscanLinkerSettings   // links the claimscan module too: same linker
        ),
        .testTarget(
            name: "ClaimCheckTests",
            dependencies: ["ClaimCheck", "TestSupport", "claimscan"],
            swiftSettings: swiftSettings
        ),
    ]
)
