import ClaimCrawl
import ClaimFetch
import Foundation

/// How a scan is run: which agencies, crawl budgets and politeness, fetch limits.
/// Stored with the run, so a resumed run says what it was started with.
public struct ScanOptions: Sendable, Codable {
    /// Registration numbers to scan; nil for every registered agency.
    public var agencies: [String]?
    public var maxPages = 200
    public var maxDepth = 4
    /// Seconds between requests to one host (jittered); 0 for tests and benchmarks.
    public var delay: Double = 2.0
    /// Hosts with a request in flight at once.
    public var concurrency = 32
    public var obeyRobots = true
    public var allowPrivateNetwork = false
    public var connectTimeout: Double = 10
    public var timeout: Double = 30
    public var maxBodyBytes = 10 * 1024 * 1024
    /// WARC files roll over at this size.
    public var warcMaxBytes: Int64 = 100_000_000

    public init() {}

    /// The crawler's settings for these options.
    public var crawlSettings: CrawlSettings {
        var fetch = FetchPolicy()
        fetch.connectTimeout = connectTimeout
        fetch.totalTimeout = timeout
        fetch.maxBodyBytes = maxBodyBytes
        fetch.privateNetwork = allowPrivateNetwork ? .allowAll : .deny
        var settings = CrawlSettings(fetch: fetch)
        settings.maxPagesPerSite = maxPages
        settings.maxDepth = maxDepth
        settings.delay = delay
        settings.concurrency = concurrency
        settings.obeyRobots = obeyRobots
        return settings
    }
}

/// What one scan run did, printed at the end and stored with the run.
public struct ScanSummary: Sendable, Codable {
    public var runID: Int64 = 0
    public var resumed = false
    public var status = "complete"
    public var sites = 0
    public var sitesFailed = 0
    public var pages = 0
    public var notModified = 0
    public var errors = 0
    public var errorsByKind: [String: Int] = [:]
    public var robotsBlocked = 0
    public var skippedByTrapLimits = 0
    public var findings = 0
    public var newCases = 0
    public var seenAgain = 0
    public var reopened = 0
    public var noLongerSeen = 0
    public var evidenceFiles: [String] = []
    public var seconds: Double = 0
    /// Why agencies could not be scanned at all, by registration number.
    public var failures: [String: String] = [:]

    public init() {}

    /// The human summary printed at the end of `claimscan scan`.
    public var text: String {
        var lines: [String] = []
        lines.append("scan run \(runID) \(status)\(resumed ? " (resumed)" : "") in \(String(format: "%.1f", seconds)) s")
        lines.append("  sites: \(sites) (\(sitesFailed) could not be scanned)")
        lines.append("  pages: \(pages) fetched, \(notModified) unchanged (304)")
        let kinds = errorsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  errors: \(errors)" + (kinds.isEmpty ? "" : " (\(kinds))"))
        if robotsBlocked > 0 || skippedByTrapLimits > 0 {
            lines.append("  skipped: \(robotsBlocked) disallowed by robots.txt, \(skippedByTrapLimits) by crawler-trap limits")
        }
        lines.append("  findings: \(findings) → cases: \(newCases) new, \(seenAgain) seen again (\(reopened) reopened), \(noLongerSeen) no longer seen")
        for (agency, why) in failures.sorted(by: { $0.key < $1.key }) { lines.append("  failed: \(agency): \(why)") }
        return lines.joined(separator: "\n")
    }
}

extension ScanSummary {
    /// Adds another part's counts (cooperative runs add up their units' parts).
    public mutating func add(_ other: ScanSummary) {
        sites += other.sites
        sitesFailed += other.sitesFailed
        pages += other.pages
        notModified += other.notModified
        errors += other.errors
        for (k, v) in other.errorsByKind { errorsByKind[k, default: 0] += v }
        robotsBlocked += other.robotsBlocked
        skippedByTrapLimits += other.skippedByTrapLimits
        findings += other.findings
        newCases += other.newCases
        seenAgain += other.seenAgain
        reopened += other.reopened
        noLongerSeen += other.noLongerSeen
        for file in other.evidenceFiles where !evidenceFiles.contains(file) { evidenceFiles.append(file) }
        for (k, v) in other.failures { failures[k] = v }
    }
}
