import ClaimFetch
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import ClaimCrawl

/// Settings for loopback crawls: 127.0.0.1 allowed, no delay, short backoff. The timeouts
/// only stop a fetch that would hang (the loopback server answers from the cooperative pool,
/// which a busy two-core CI machine can leave waiting for seconds); tests of timeouts set their own.
func loopbackSettings(_ change: (inout CrawlSettings) -> Void = { _ in }) -> CrawlSettings {
    var fetch = FetchPolicy()
    fetch.privateNetwork = .allow(["127.0.0.1"])
    fetch.connectTimeout = 30
    fetch.totalTimeout = 60
    var settings = CrawlSettings(fetch: fetch)
    settings.delay = 0
    settings.jitter = 0
    settings.retryBackoff = 0.1
    change(&settings)
    return settings
}

/// Collects everything a crawl reports.
final class Recorder: CrawlDelegate, Sendable {
    struct State {
        var pages: [CrawledPage] = []
        var discovered: [String: [(url: String, depth: Int)]] = [:]
        var reports: [String: SiteReport] = [:]
    }
    let state = Mutex(State())
    /// Called on every fetched item (e.g. to cancel).
    let onFetched: (@Sendable (Crawler, CrawledPage) -> Void)?

    init(onFetched: (@Sendable (Crawler, CrawledPage) -> Void)? = nil) {
        self.onFetched = onFetched
    }

    func crawler(_ crawler: Crawler, fetched page: CrawledPage) {
        // Keep everything but the bodies, as a receiver would.
        var copy = page
        copy.body = []
        state.withLock { $0.pages.append(copy) }
        onFetched?(crawler, page)
    }

    func crawler(_ crawler: Crawler, discovered urls: [(url: String, depth: Int)], site: String) {
        state.withLock { $0.discovered[site, default: []].append(contentsOf: urls) }
    }

    func crawler(_ crawler: Crawler, finished site: SiteReport) {
        state.withLock { $0.reports[site.key] = site }
    }

    var pages: [CrawledPage] { state.withLock { $0.pages } }
    var reports: [String: SiteReport] { state.withLock { $0.reports } }
    func discovered(_ site: String) -> [(url: String, depth: Int)] { state.withLock { $0.discovered[site] ?? [] } }
    func page(_ url: String) -> CrawledPage? { pages.first { $0.url == url && $0.kind == .page } }
}

/// Runs a crawl on its own thread and returns the recorder and the seconds it took.
@discardableResult
func crawl(_ seeds: [SiteSeed], _ settings: CrawlSettings, recorder: Recorder = Recorder()) async -> (Recorder, Double) {
    let crawler = Crawler(settings: settings)
    let start = Date()
    await crawler.run(seeds, delegate: recorder)
    return (recorder, Date().timeIntervalSince(start))
}

/// Request counts per target (path?query), robots.txt and sitemap.xml included.
func counts(_ server: LoopbackServer) -> [String: Int] {
    var out: [String: Int] = [:]
    for r in server.requests { out[r.target, default: 0] += 1 }
    return out
}

/// An HTML page linking to `links`.
func page(_ links: [String], text: String = "") -> LoopbackRoute {
    .html("<html><body>\(text)" + links.map { "<a href=\"\($0)\">\($0)</a>" }.joined() + "</body></html>")
}

/// Counts requests in flight per server (to check politeness).
final class InFlight: Sendable {
    let state = Mutex((now: 0, max: 0))
    func enter() { state.withLock { $0.now += 1; $0.max = Swift.max($0.max, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var max: Int { state.withLock { $0.max } }
}

/// A route that records how many requests are in flight while it answers slowly.
func tracked(_ inFlight: InFlight, _ route: LoopbackRoute, delay: Double = 0.05) -> LoopbackRoute {
    .handler { _ in
        inFlight.enter()
        try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        inFlight.leave()
        return route
    }
}

func withServers<T>(_ count: Int, _ body: ([LoopbackServer]) async throws -> T) async throws -> T {
    var servers: [LoopbackServer] = []
    for _ in 0..<count { servers.append(try await LoopbackServer.start()) }
    do {
        let value = try await body(servers)
        for s in servers { await s.stop() }
        return value
    } catch {
        for s in servers { await s.stop() }
        throw error
    }
}
