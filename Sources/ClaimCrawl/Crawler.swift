import CCurl
import ClaimFetch
import ClaimPage
import Foundation
import Synchronization

/// A polite breadth-first crawler of many sites at once, on one libcurl multi handle.
///
/// Threading: ``run(_:delegate:)`` does all the work on the calling thread — one event loop
/// that starts transfers, waits in `curl_multi_poll`, parses pages and calls the delegate.
/// No other threads are created; easy handles are pooled and reused. ``cancel()`` may be
/// called from any thread: it wakes the loop, which then returns promptly.
///
/// Politeness is per origin (`scheme://host:port`): at most one request in flight, a delay
/// (``CrawlSettings/delay`` or robots.txt `Crawl-delay`, whichever is longer, with jitter)
/// between the end of one request and the start of the next, robots.txt fetched before the
/// first page and obeyed, `Retry-After` honoured. Up to ``CrawlSettings/concurrency``
/// origins have a request in flight at once.
public final class Crawler: Sendable {
    /// The settings every run of this crawler uses.
    public let settings: CrawlSettings
    private let control = Mutex(Control())

    private struct Control {
        var cancelled = false
        /// The running multi handle's address (0 when none), for `curl_multi_wakeup`.
        var multi: UInt = 0
    }

    /// Creates a crawler.
    public init(settings: CrawlSettings) {
        self.settings = settings
    }

    /// Crawls `sites`, blocking until every site is finished or ``cancel()`` is called.
    ///
    /// One run at a time per crawler. Sites not finished when cancelled get no
    /// ``CrawlDelegate/crawler(_:finished:)`` call.
    public func run(_ sites: [SiteSeed], delegate: any CrawlDelegate) {
        CrawlEngine(crawler: self, delegate: delegate).run(sites)
    }

    /// Runs ``run(_:delegate:)`` on a thread of its own, so the cooperative pool is never blocked.
    public func run(_ sites: [SiteSeed], delegate: any CrawlDelegate) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                run(sites, delegate: delegate)
                continuation.resume()
            }
            thread.name = "claimscan-crawl"
            thread.start()
        }
    }

    /// Stops the crawl: ``run(_:delegate:)`` returns promptly. A cancelled crawler stays cancelled.
    public func cancel() {
        control.withLock { c in
            c.cancelled = true
            if c.multi != 0, let multi = UnsafeMutableRawPointer(bitPattern: c.multi) {
                _ = curl_multi_wakeup(multi)
            }
        }
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { control.withLock { $0.cancelled } }

    func attach(_ multi: UnsafeMutableRawPointer?) {
        control.withLock { $0.multi = multi.map { UInt(bitPattern: $0) } ?? 0 }
    }
}

// MARK: - Engine

/// One queued request.
struct WorkItem {
    var site: Int
    var url: NormalizedURL
    var depth: Int
    var kind: CrawlItemKind
    var attempts = 0
    /// Redirects followed to reach this URL.
    var redirects = 0
    /// 0 for a sitemap named by robots.txt or `/sitemap.xml`, 1 for one from a sitemap index.
    var sitemapLevel = 0
}

/// Politeness and robots.txt state of one origin.
final class HostState {
    enum Robots {
        case unknown
        case fetching
        case waiting(until: Double)
        case ready(RobotsRules)
        case unavailable
    }

    let id: Int
    let origin: NormalizedURL
    var queue = Deque<WorkItem>()
    /// An item waiting to be retried; goes before the queue.
    var retry: WorkItem?
    var busy = false
    var scheduled = false
    var nextAllowed: Double = 0
    var robots: Robots = .unknown
    var robotsAttempts = 0
    var crawlDelay: Double = 0
    /// Set when the origin may not be contacted at all (private address under `.deny`, …).
    var refused: FetchError?
    /// Sites that queued work here (for sitemap seeding once robots.txt is read).
    var sites: Set<Int> = []

    init(id: Int, origin: NormalizedURL) {
        self.id = id
        self.origin = origin
    }

    var hasWork: Bool { retry != nil || !queue.isEmpty }
}

/// Per-site crawl state.
final class SiteState {
    let index: Int
    let seed: SiteSeed
    var scope: Set<String> = []
    var startOrigins: Set<String> = []
    var seen: Set<String> = []
    var queryVariants: [String: Set<String>] = [:]
    var sitemapsSeen: Set<String> = []
    var sitemapOriginsSeeded: Set<String> = []
    /// Pages accepted into the frontier, fetched or done (bounded by the budget).
    var accepted = 0
    /// Items queued or in flight for this site.
    var outstanding = 0
    var finished = false
    var report: SiteReport

    init(index: Int, seed: SiteSeed) {
        self.index = index
        self.seed = seed
        report = SiteReport(key: seed.key, pagesFetched: 0, errors: 0, errorsByKind: [:], robotsBlocked: 0,
                            skippedByTrapLimits: 0, hitPageBudget: false, robotsUnavailable: false)
    }
}

final class CrawlEngine {
    let crawler: Crawler
    let settings: CrawlSettings
    let delegate: any CrawlDelegate
    var sites: [SiteState] = []
    var hosts: [HostState] = []
    var hostIDs: [String: Int] = [:]
    var timers = TimerHeap()
    var pool: [EasyTransfer] = []
    var active: [UnsafeMutableRawPointer: Active] = [:]
    var multi: UnsafeMutableRawPointer?
    var unfinished = 0
    /// Newly accepted URLs of the item being processed, per site, for the `discovered` call.
    var discovered: [Int: [(url: String, depth: Int)]] = [:]

    struct Active {
        let transfer: EasyTransfer
        let item: WorkItem
        let host: Int
        let conditional: Bool
    }

    init(crawler: Crawler, delegate: any CrawlDelegate) {
        self.crawler = crawler
        self.settings = crawler.settings
        self.delegate = delegate
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // MARK: Run loop

    func run(_ seeds: [SiteSeed]) {
        guard let multi = curl_multi_init() else { return }
        self.multi = multi
        _ = cs_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1)
        _ = cs_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(64, settings.concurrency * 4))
        crawler.attach(multi)
        defer {
            crawler.attach(nil)
            for handle in active.keys { curl_multi_remove_handle(multi, handle) }
            active.removeAll()
            pool.removeAll()
            curl_multi_cleanup(multi)
            self.multi = nil
        }

        for seed in seeds { addSite(seed) }
        flushDiscovered()
        for site in sites where site.outstanding == 0 { finishIfDone(site) }

        var running: Int32 = 0
        while unfinished > 0, !crawler.isCancelled {
            dispatchReady()
            if active.isEmpty, timers.isEmpty {
                // Nothing in flight and nothing scheduled: whatever is left cannot make progress.
                for site in sites where !site.finished { site.outstanding = 0; finishIfDone(site) }
                break
            }
            curl_multi_perform(multi, &running)
            if readCompletions() > 0 { continue }
            // Wait for socket activity, the next host's turn or a wakeup (cancel). While every
            // slot is busy, only a completion can make progress.
            var timeout = 1000
            if active.count < settings.concurrency, let next = timers.peek {
                timeout = max(0, min(timeout, Int(((next.time - Self.now()) * 1000).rounded(.up))))
            }
            if timeout > 0 || !active.isEmpty {
                curl_multi_poll(multi, nil, 0, Int32(timeout), nil)
            }
        }
    }

    /// Starts work on every origin whose time has come, up to the concurrency limit.
    func dispatchReady() {
        let t = Self.now()
        while active.count < settings.concurrency, let top = timers.peek, top.time <= t {
            timers.pop()
            let host = hosts[top.host]
            host.scheduled = false
            startNext(host)
        }
    }

    /// Reads finished transfers; returns how many.
    func readCompletions() -> Int {
        guard let multi else { return 0 }
        var count = 0
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let handle = msg.pointee.easy_handle else { continue }
            let code = msg.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            guard let entry = active.removeValue(forKey: handle) else { continue }
            count += 1
            complete(entry, code: code)
            pool.append(entry.transfer)
        }
        return count
    }

    // MARK: Scheduling

    func host(for url: NormalizedURL) -> HostState {
        let key = url.origin
        if let id = hostIDs[key] { return hosts[id] }
        let h = HostState(id: hosts.count, origin: NormalizedURL(scheme: url.scheme, host: url.host, port: url.port, path: "/robots.txt", query: nil))
        hosts.append(h)
        hostIDs[key] = h.id
        return h
    }

    /// Puts `host` on the timer heap if it is idle and has work.
    func schedule(_ host: HostState, at time: Double? = nil) {
        guard !host.busy, !host.scheduled, host.hasWork else { return }
        host.scheduled = true
        timers.push(time: time ?? host.nextAllowed, host: host.id)
    }

    func enqueue(_ item: WorkItem, front: Bool = false) {
        let h = host(for: item.url)
        h.sites.insert(item.site)
        if front { h.queue.pushFront(item) } else { h.queue.pushBack(item) }
        sites[item.site].outstanding += 1
        schedule(h)
    }

    /// Starts the next request of an idle host, reporting items that need no request on the way.
    func startNext(_ h: HostState) {
        guard !h.busy else { return }
        while let item = h.retry ?? h.queue.first {
            let site = sites[item.site]
            if let refused = h.refused {
                takeNext(h)
                var error = refused
                error.url = item.url.string
                report(failure: error, item: item, requestHeaders: [], attempts: item.attempts)
                itemDone(site)
                continue
            }
            if settings.obeyRobots {
                switch h.robots {
                case .unknown:
                    if startRobots(h, site: item.site) { return }
                    continue
                case .waiting(let until):
                    if until > Self.now() {
                        schedule(h, at: until)
                        return
                    }
                    if startRobots(h, site: item.site) { return }
                    continue
                case .fetching:
                    return
                case .unavailable:
                    takeNext(h)
                    site.report.robotsBlocked += 1
                    site.report.robotsUnavailable = true
                    itemDone(site)
                    continue
                case .ready(let rules):
                    if !rules.allows(item.url.pathAndQuery) {
                        takeNext(h)
                        site.report.robotsBlocked += 1
                        if item.kind == .page { site.accepted -= 1 }
                        itemDone(site)
                        continue
                    }
                }
            }
            takeNext(h)
            if start(item, on: h) { return }
            itemDone(site)
        }
    }

    private func takeNext(_ h: HostState) {
        if h.retry != nil { h.retry = nil } else { _ = h.queue.popFront() }
    }

    /// Called when an item leaves the crawl (reported or dropped).
    func itemDone(_ site: SiteState) {
        site.outstanding -= 1
        finishIfDone(site)
    }

    func finishIfDone(_ site: SiteState) {
        guard site.outstanding <= 0, !site.finished else { return }
        site.finished = true
        unfinished -= 1
        delegate.crawler(crawler, finished: site.report)
    }

    /// Starts robots.txt for `h`; `false` if it could not start (the host is then refused).
    func startRobots(_ h: HostState, site: Int) -> Bool {
        h.robots = .fetching
        let item = WorkItem(site: site, url: h.origin, depth: 0, kind: .robots, attempts: h.robotsAttempts)
        if start(item, on: h) { return true }
        return false
    }

    /// Adds the transfer for `item` to the multi handle; on a policy refusal reports it and returns `false`.
    func start(_ item: WorkItem, on h: HostState) -> Bool {
        let transfer: EasyTransfer
        do throws(FetchError) {
            if let pooled = pool.popLast() { transfer = pooled } else { transfer = try EasyTransfer(policy: settings.fetch) }
        } catch {
            failBeforeStart(error, item: item, host: h)
            return false
        }
        var headers = ["Accept: " + (item.kind == .page ? "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" : "*/*")]
        var conditional = false
        if item.kind == .page, let v = sites[item.site].seed.validators[item.url.string] {
            if let etag = v.etag { headers.append("If-None-Match: \(etag)"); conditional = true }
            if let lm = v.lastModified { headers.append("If-Modified-Since: \(lm)"); conditional = true }
        }
        do throws(FetchError) {
            try transfer.prepare(url: item.url.string, headers: headers, followRedirects: item.kind == .robots ? 5 : 0)
        } catch {
            pool.append(transfer)
            failBeforeStart(error, item: item, host: h)
            return false
        }
        guard let multi, curl_multi_add_handle(multi, transfer.handle) == CURLM_OK else {
            pool.append(transfer)
            failBeforeStart(FetchError(kind: .transfer, url: item.url.string, message: "curl_multi_add_handle failed"), item: item, host: h)
            return false
        }
        active[transfer.handle] = Active(transfer: transfer, item: item, host: h.id, conditional: conditional)
        h.busy = true
        return true
    }

    /// A request refused before any traffic: the whole origin is refused for the same reason.
    private func failBeforeStart(_ error: FetchError, item: WorkItem, host h: HostState) {
        if item.kind == .robots || [.privateAddress, .refusedScheme].contains(error.kind) {
            h.refused = error
            h.robots = .unavailable
        }
        report(failure: error, item: item, requestHeaders: [], attempts: item.attempts)
    }

    // MARK: Completion

    func complete(_ entry: Active, code: CURLcode) {
        let h = hosts[entry.host]
        h.busy = false
        var item = entry.item
        item.attempts += 1
        let t = Self.now()
        h.nextAllowed = t + politeDelay(h)
        let transfer = entry.transfer

        if code != CURLE_OK {
            let error = transfer.error(for: code)
            _ = transfer.takeBody()
            if item.kind == .robots {
                robotsFailed(h, item: item, error: error, transfer: transfer, at: t)
            } else if Self.retryable(error.kind), item.attempts <= settings.retries {
                retry(item, on: h, after: backoff(item.attempts), now: t)
            } else {
                if error.kind == .privateAddress { h.refused = error }
                report(failure: error, item: item, requestHeaders: transfer.requestHeaders, attempts: item.attempts)
                itemDone(sites[item.site])
            }
        } else {
            let status = transfer.status
            switch item.kind {
            case .robots:
                if status == 429 || status >= 500 {
                    robotsFailed(h, item: item, error: nil, transfer: transfer, at: t)
                } else {
                    robotsReceived(h, item: item, status: status, transfer: transfer)
                }
            case .page, .sitemap:
                if status == 429 || status >= 500, item.attempts <= settings.retries {
                    var wait = backoff(item.attempts)
                    if status == 429 || status == 503, let after = Self.retryAfter(transfer.responseHeaders) {
                        wait = min(after, settings.retryAfterCap)
                    }
                    _ = transfer.takeBody()
                    retry(item, on: h, after: wait, now: t)
                } else {
                    received(item, status: status, transfer: transfer, conditional: entry.conditional)
                    itemDone(sites[item.site])
                }
            }
        }
        flushDiscovered()
        schedule(h)
        startNextIfReady(h)
    }

    /// With no delay, start the host's next request at once (saves a loop turn).
    private func startNextIfReady(_ h: HostState) {
        if h.scheduled, h.nextAllowed <= Self.now(), active.count < settings.concurrency, timers.peek?.host == h.id {
            timers.pop()
            h.scheduled = false
            startNext(h)
        }
    }

    private func retry(_ item: WorkItem, on h: HostState, after wait: Double, now t: Double) {
        h.retry = item
        h.nextAllowed = max(h.nextAllowed, t + wait)
    }

    func politeDelay(_ h: HostState) -> Double {
        let base = max(settings.delay, h.crawlDelay)
        guard base > 0 else { return 0 }
        let j = settings.jitter > 0 ? Double.random(in: -settings.jitter...settings.jitter) : 0
        return max(0, base * (1 + j))
    }

    func backoff(_ attempt: Int) -> Double {
        settings.retryBackoff * pow(2, Double(max(0, attempt - 1)))
    }

    static func retryable(_ kind: FetchError.Kind) -> Bool {
        switch kind {
        case .timeout, .tooSlow, .connectFailure, .transfer: return true
        default: return false
        }
    }

    // MARK: robots.txt

    private func robotsFailed(_ h: HostState, item: WorkItem, error: FetchError?, transfer: EasyTransfer, at t: Double) {
        if let error, [.privateAddress, .refusedScheme, .invalidURL].contains(error.kind) {
            h.refused = error
            h.robots = .unavailable
        } else {
            h.robotsAttempts += 1
            if h.robotsAttempts <= settings.retries {
                h.robots = .waiting(until: t + max(backoff(h.robotsAttempts), settings.delay))
            } else {
                h.robots = .unavailable
            }
        }
        if let error {
            report(failure: error, item: item, requestHeaders: transfer.requestHeaders, attempts: item.attempts)
        } else {
            report(response: item, status: transfer.status, transfer: transfer, links: [], decoded: nil, isHTML: false)
        }
    }

    private func robotsReceived(_ h: HostState, item: WorkItem, status: Int, transfer: EasyTransfer) {
        let body = transfer.takeBody()
        var rules = RobotsRules.allowAll
        if (200..<300).contains(status) {
            rules = RobotsRules(parsing: String(decoding: body, as: UTF8.self), userAgent: settings.userAgentToken)
        }
        h.robots = .ready(rules)
        h.crawlDelay = min(rules.crawlDelay ?? 0, settings.crawlDelayCap)
        if h.crawlDelay > settings.delay { h.nextAllowed = Self.now() + h.crawlDelay }
        report(response: item, status: status, transfer: transfer, body: body, links: [], decoded: nil, isHTML: false)
        // Sitemaps: robots.txt `Sitemap:` lines and /sitemap.xml, for the sites with work here.
        for s in h.sites.sorted() where !sites[s].finished {
            seedSitemaps(sites[s], origin: h.origin, listed: rules.sitemaps)
        }
    }

    private func seedSitemaps(_ site: SiteState, origin: NormalizedURL, listed: [String]) {
        guard site.scope.contains(origin.scopeKey), site.sitemapOriginsSeeded.insert(origin.origin).inserted else { return }
        var candidates = listed
        candidates.append(origin.origin + "/sitemap.xml")
        for raw in candidates {
            guard let url = URLNormalizer.parse(raw, relativeTo: origin.origin + "/") else { continue }
            enqueueSitemap(url, site: site, level: 0)
        }
    }

    private func enqueueSitemap(_ url: NormalizedURL, site: SiteState, level: Int) {
        guard site.scope.contains(url.scopeKey), site.sitemapsSeen.count < settings.maxSitemapsPerSite,
              site.sitemapsSeen.insert(url.string).inserted else { return }
        enqueue(WorkItem(site: site.index, url: url, depth: 1, kind: .sitemap, sitemapLevel: level), front: true)
    }

    // MARK: Responses

    private func received(_ item: WorkItem, status: Int, transfer: EasyTransfer, conditional: Bool) {
        let site = sites[item.site]
        let headers = transfer.responseHeaders
        if item.kind == .sitemap {
            let body = transfer.takeBody()
            if (200..<300).contains(status) {
                let (urls, children) = SitemapParser.locations(body)
                if item.depth <= settings.maxDepth {
                    for raw in urls {
                        if let url = URLNormalizer.parse(raw) { accept(url, site: site, depth: 1) }
                    }
                }
                if item.sitemapLevel == 0 {
                    for raw in children {
                        if let url = URLNormalizer.parse(raw) { enqueueSitemap(url, site: site, level: 1) }
                    }
                }
            }
            report(response: item, status: status, transfer: transfer, body: body, links: [], decoded: nil, isHTML: false)
            return
        }

        site.report.pagesFetched += 1
        if status >= 400 {
            site.report.errors += 1
            site.report.errorsByKind["http\(status)", default: 0] += 1
        }
        // 304: the page did not change; continue with the links known from the last scan.
        if status == 304, conditional {
            let cached = site.seed.cachedLinks[item.url.string] ?? []
            let links = inScope(cached.compactMap { URLNormalizer.parse($0) }, site: site)
            if item.depth < settings.maxDepth {
                for url in links { accept(url, site: site, depth: item.depth + 1) }
            }
            report(response: item, status: status, transfer: transfer, links: links.map(\.string), decoded: nil,
                   isHTML: false, notModified: true)
            return
        }
        // Redirect: report it; follow only within scope.
        if (300..<400).contains(status), status != 304,
           let location = Self.header("Location", in: headers) ?? transfer.redirectURL {
            let target = URLNormalizer.parse(location, relativeTo: item.url.string)
            if let target, site.scope.contains(target.scopeKey) {
                if item.redirects + 1 > settings.maxRedirects {
                    site.report.errors += 1
                    site.report.errorsByKind["tooManyRedirects", default: 0] += 1
                } else {
                    accept(target, site: site, depth: item.depth, redirects: item.redirects + 1)
                }
            }
            _ = transfer.takeBody()
            report(response: item, status: status, transfer: transfer, body: [], links: [], decoded: nil,
                   isHTML: false, redirectTo: target?.string)
            return
        }
        let body = transfer.takeBody()
        let contentType = Self.header("Content-Type", in: headers)
        let html = Self.isHTML(contentType: contentType, body: body)
        var decoded: DecodedPage?
        var links: [NormalizedURL] = []
        if html, !body.isEmpty {
            let page = DecodedPage(bytes: body, contentType: contentType)
            decoded = page
            if (200..<300).contains(status) {
                links = inScope(LinkExtractor.links(in: page, baseURL: item.url.string).compactMap { URLNormalizer.parse($0) }, site: site)
                if item.depth < settings.maxDepth {
                    for url in links { accept(url, site: site, depth: item.depth + 1) }
                }
            }
        }
        report(response: item, status: status, transfer: transfer, body: body, links: links.map(\.string),
               decoded: decoded, isHTML: html)
    }

    private func inScope(_ urls: [NormalizedURL], site: SiteState) -> [NormalizedURL] {
        urls.filter { site.scope.contains($0.scopeKey) }
    }

    // MARK: Frontier

    func addSite(_ seed: SiteSeed) {
        let site = SiteState(index: sites.count, seed: seed)
        sites.append(site)
        unfinished += 1
        let starts = seed.startURLs.compactMap { URLNormalizer.parse($0) }
        if starts.count < seed.startURLs.count {
            site.report.errorsByKind["invalidURL", default: 0] += seed.startURLs.count - starts.count
            site.report.errors += seed.startURLs.count - starts.count
        }
        for url in starts {
            site.scope.insert(url.scopeKey)
            site.startOrigins.insert(url.origin)
        }
        for done in seed.done {
            let key = URLNormalizer.normalize(done) ?? done
            if site.seen.insert(key).inserted { site.accepted += 1 }
        }
        for url in starts { accept(url, site: site, depth: 0) }
        for entry in seed.pending {
            if let url = URLNormalizer.parse(entry.url) { accept(url, site: site, depth: entry.depth, report: false) }
        }
        if !settings.obeyRobots {
            for origin in site.startOrigins.sorted() {
                if let o = URLNormalizer.parse(origin + "/") { seedSitemaps(site, origin: o, listed: []) }
            }
        }
    }

    /// Admits `url` to the site's frontier if it is in scope, new, within the depth, trap and
    /// page limits, and not disallowed by a robots.txt already read.
    @discardableResult
    func accept(_ url: NormalizedURL, site: SiteState, depth: Int, redirects: Int = 0, report: Bool = true) -> Bool {
        guard depth <= settings.maxDepth, site.scope.contains(url.scopeKey) else { return false }
        let text = url.string
        if site.seen.contains(text) { return false }
        // Crawler-trap limits.
        var trapped = text.utf8.count > settings.maxURLLength || repeatsSegments(url.path)
        let pathKey = url.origin + url.path
        if !trapped, let query = url.query, !query.isEmpty {
            let variants = site.queryVariants[pathKey, default: []]
            trapped = !variants.contains(query) && variants.count >= settings.maxQueryVariantsPerPath
        }
        if trapped {
            site.seen.insert(text)
            site.report.skippedByTrapLimits += 1
            return false
        }
        if settings.obeyRobots, let id = hostIDs[url.origin], case .ready(let rules) = hosts[id].robots,
           !rules.allows(url.pathAndQuery) {
            site.seen.insert(text)
            site.report.robotsBlocked += 1
            return false
        }
        if site.accepted >= settings.maxPagesPerSite {
            site.report.hitPageBudget = true
            return false
        }
        site.seen.insert(text)
        site.accepted += 1
        if let query = url.query, !query.isEmpty { site.queryVariants[pathKey, default: []].insert(query) }
        enqueue(WorkItem(site: site.index, url: url, depth: depth, kind: .page, redirects: redirects))
        if report { discovered[site.index, default: []].append((text, depth)) }
        return true
    }

    private func repeatsSegments(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        guard segments.count > settings.maxRepeatedSegments else { return false }
        var counts: [Substring: Int] = [:]
        for s in segments {
            counts[s, default: 0] += 1
            if counts[s]! > settings.maxRepeatedSegments { return true }
        }
        return false
    }

    func flushDiscovered() {
        guard !discovered.isEmpty else { return }
        let batch = discovered
        discovered = [:]
        for (index, urls) in batch.sorted(by: { $0.key < $1.key }) {
            delegate.crawler(crawler, discovered: urls, site: sites[index].seed.key)
        }
    }

    // MARK: Reporting

    private func report(failure error: FetchError, item: WorkItem, requestHeaders: [(String, String)], attempts: Int) {
        let site = sites[item.site]
        if item.kind == .page {
            site.report.pagesFetched += 1
            site.report.errors += 1
            site.report.errorsByKind[error.kind.rawValue, default: 0] += 1
        }
        flushDiscovered()
        delegate.crawler(crawler, fetched: CrawledPage(
            siteKey: site.seed.key, kind: item.kind, url: item.url.string, depth: item.depth,
            requestHeaders: requestHeaders, status: nil, headers: [], body: [], serverIP: nil, fetchedAt: Date(),
            sha256: nil, notModified: false, isHTML: false, decoded: nil, redirectTo: nil, links: [], error: error,
            attempts: attempts))
    }

    private func report(response item: WorkItem, status: Int, transfer: EasyTransfer, body: [UInt8]? = nil,
                        links: [String], decoded: DecodedPage?, isHTML: Bool, notModified: Bool = false,
                        redirectTo: String? = nil) {
        let bytes = body ?? transfer.takeBody()
        flushDiscovered()
        delegate.crawler(crawler, fetched: CrawledPage(
            siteKey: sites[item.site].seed.key, kind: item.kind, url: item.url.string, depth: item.depth,
            requestHeaders: transfer.requestHeaders, status: status, headers: transfer.responseHeaders, body: bytes,
            serverIP: transfer.serverIP, fetchedAt: Date(), sha256: BodyDigest.sha256Hex(bytes),
            notModified: notModified, isHTML: isHTML, decoded: decoded, redirectTo: redirectTo, links: links,
            error: nil, attempts: item.attempts))
    }

    // MARK: Helpers

    static func header(_ name: String, in headers: [ResponseHeader]) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// HTML by Content-Type (`text/html`, `application/xhtml+xml`), or sniffed when there is none.
    static func isHTML(contentType: String?, body: [UInt8]) -> Bool {
        if let contentType {
            let mime = contentType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
            if !mime.isEmpty { return mime == "text/html" || mime == "application/xhtml+xml" }
        }
        var start = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < body.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(body[start]) { start += 1 }
        let head = String(decoding: body[start..<min(body.count, start + 16)], as: UTF8.self).lowercased()
        let markers = ["<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<h1", "<div", "<font",
                       "<table", "<a", "<style", "<title", "<b", "<br", "<p", "<meta", "<!--"]
        return markers.contains { marker in
            guard head.hasPrefix(marker) else { return false }
            if marker == "<!doctype html" || marker == "<!--" { return true }
            let next = head.dropFirst(marker.count).first
            return next == nil || next == " " || next == ">" || next == "\t" || next == "\n" || next == "\r"
        }
    }

    /// `Retry-After` in seconds (delta-seconds or an HTTP date), if present and valid.
    static func retryAfter(_ headers: [ResponseHeader]) -> Double? {
        guard let value = header("Retry-After", in: headers)?.trimmingSpaces else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        guard let date = HTTPDate.parse(String(value)) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also without the weekday.
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var parts = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if let first = parts.first, Int(first) == nil { parts.removeFirst() }
        guard parts.count >= 4, let day = Int(parts[0]),
              let month = months.firstIndex(of: parts[1].lowercased().prefix(3).description),
              let year = Int(parts[2]) else { return nil }
        let time = parts[3].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        var components = DateComponents()
        components.year = year < 100 ? year + 1900 : year
        components.month = month + 1
        components.day = day
        components.hour = time[0]
        components.minute = time[1]
        components.second = time[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        return calendar.date(from: components)
    }
}
