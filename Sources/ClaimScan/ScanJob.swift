import ClaimCases
import ClaimCrawl
import ClaimEvidence
import ClaimFetch
import ClaimPage
import ClaimText
import Foundation

/// One run of the scheduled job: registry → crawl → check → evidence → case queue.
///
/// The crawler runs on its own thread and hands every fetched item to a
/// serial analysis queue, which matches it, and then to a serial processing
/// queue, which writes the WARC records and records it in the case queue —
/// page by page, in crawl order, each in its own transaction —
/// so a scan killed at any moment resumes where it stopped: finished pages are
/// not fetched again, and no case is lost or duplicated.
public final class ScanJob: @unchecked Sendable {
    public let store: any CaseQueue
    public let matcher: Matcher
    public let options: ScanOptions
    /// Cooperative scans (PostgreSQL): how long a claimed unit stays this worker's without renewal.
    public let lease: TimeInterval
    /// Cooperative scans: this worker's name in leases (default `host/pid/random`).
    public let workerName: String
    let log: ScanLog

    /// Matching (pure CPU, no shared state) runs on its own serial queue ahead of `processing`,
    /// so one page is matched while the one before it is written: on one queue, matching, gzip
    /// and SQLite together held the crawl to about one core. Every item passes both queues in
    /// order, so the case queue still sees the items in crawl order.
    private let analysis = DispatchQueue(label: "claimscan.scan.analysis")
    private let processing = DispatchQueue(label: "claimscan.scan.processing")
    /// Bounds the items waiting for processing, so a fast crawl cannot fill memory (a decoded
    /// page holds about 12 bytes per character, and is freed once matched). Measured in the
    /// 100-site crawl benchmark: 16 keep both queues busy; 8 or 4 save 2–4 MiB of peak RSS but
    /// cost 5–12% of the pages per second.
    private let backlog = DispatchSemaphore(value: 16)
    private let lock = NSLock()
    private var summary = ScanSummary()
    /// Each agency's part of the summary (cooperative scans store it with the agency's unit).
    private var partials: [AgencyID: ScanSummary] = [:]
    private var agencyIDs: [String: AgencyID] = [:]
    private var runID: RunID = 0
    private var writer: WARCWriter?
    private var crawler: Crawler?
    private var failure: (any Error)?
    private var cancelled = false

    public init(store: any CaseQueue, matcher: Matcher, options: ScanOptions, log: ScanLog,
                lease: TimeInterval = 60, workerName: String? = nil) {
        self.store = store
        self.matcher = matcher
        self.options = options
        self.log = log
        self.lease = lease
        self.workerName = workerName ?? "\(ProcessIdentity.host)/\(getpid())/\(UUID().uuidString.prefix(8))"
    }

    /// Stops the crawl (SIGINT/SIGTERM); the run stays resumable.
    public func cancel() {
        lock.lock(); cancelled = true; let c = crawler; lock.unlock()
        c?.cancel()
    }

    /// Runs (or resumes) a scan. Throws when the scan cannot start or the database fails.
    ///
    /// On a shared queue (``CooperativeCaseQueue``: PostgreSQL) this process is one worker of
    /// the run: see ``runCooperatively(_:)``. On an SQLite file it is the only scan.
    public func run() throws -> ScanSummary {
        if let shared = store as? any CooperativeCaseQueue { return try runCooperatively(shared) }
        guard let store = store as? CaseStore else {
            throw CaseRequestError("\(store.location): this case queue supports neither a scan lock nor cooperating workers")
        }
        let started = Date()
        let scanLock = try store.acquireScanLock()
        defer { try? scanLock.release() }

        // Resume an unfinished run, or start a new one.
        if let unfinished = try store.unfinishedRun() {
            try store.resumeRun(unfinished.id)
            runID = unfinished.id
            summary.resumed = true
            log.note("resuming scan run \(unfinished.id) started \(CaseStore.timestamp(unfinished.startedAt)) (pid \(unfinished.pid) on \(unfinished.host) did not finish it)")
        } else {
            let selection: RunSelection = options.agencies.map { .agencies($0) } ?? .all
            runID = try store.startRun(selection: selection, options: options)
            log.note("scan run \(runID) started")
        }
        summary.runID = runID
        try scanLock.heartbeat(runID: runID)
        let heartbeat = Heartbeat(every: 30) { try? scanLock.heartbeat(runID: self.runID) }
        defer { heartbeat.stop() }

        let all = try store.runAgencies(runID)
        let todo = all.filter { $0.status != .done && $0.status != .failed }
        summary.sites = all.count
        for done in all where done.status == .failed { summary.sitesFailed += 1; summary.failures[done.registrationNo] = done.error ?? "failed" }
        log.begin(sites: all.count, alreadyDone: all.count - todo.count)

        try crawl(todo)
        if let writer {
            try writer.close()
            summary.evidenceFiles = writer.files
        }
        if let failure { throw failure }

        lock.lock(); let interrupted = cancelled; lock.unlock()
        summary.seconds = Date().timeIntervalSince(started)
        if interrupted {
            summary.status = "interrupted"
            try store.finishRun(runID, status: .interrupted, summary: summary)
        } else {
            summary.status = "complete"
            try store.finishRun(runID, status: .complete, summary: summary)
        }
        log.end()
        return summary
    }

    /// Crawls these agencies of the run (resuming each from the run's frontier) and records
    /// everything; returns when all of them are finished and recorded, or the scan failed
    /// or was cancelled.
    func crawl(_ todo: [RunAgency]) throws {
        // Build the crawl seeds from the registry, the run's frontier and earlier scans.
        var seeds: [SiteSeed] = []
        for item in todo {
            guard let agency = try store.agency(id: item.agencyID) else { continue }
            lock.withLock { agencyIDs[agency.registrationNo] = agency.id }
            if let why = refusal(for: agency) {
                try store.markAgencyFailed(run: runID, agency: agency.id, error: why)
                account(agency.id) { $0.sitesFailed += 1; $0.failures[agency.registrationNo] = why }
                log.siteFinished(agency.registrationNo, pages: 0, errors: 0, findings: 0, note: why)
                continue
            }
            var seed = SiteSeed(key: agency.registrationNo, startURLs: agency.urls)
            let frontier = try store.frontier(run: runID, agency: agency.id)
            seed.done = Set(frontier.done + frontier.failed)
            seed.pending = frontier.pending.map { (url: $0.url, depth: $0.depth) }
            for (url, hint) in try store.rescanHints(agency: agency.id) where !seed.done.contains(url) {
                if hint.etag != nil || hint.lastModified != nil { seed.validators[url] = (hint.etag, hint.lastModified) }
                if !hint.links.isEmpty { seed.cachedLinks[url] = hint.links }
            }
            try store.markAgencyStarted(run: runID, agency: agency.id)
            seeds.append(seed)
        }

        if !seeds.isEmpty {
            if writer == nil {
                writer = try WARCWriter(directory: try store.ensureEvidenceDirectory(), maxFileBytes: options.warcMaxBytes)
            }
            let crawler = Crawler(settings: options.crawlSettings)
            lock.lock(); self.crawler = crawler; let stop = cancelled; lock.unlock()
            if !stop { crawler.run(seeds, delegate: Delegate(job: self)) }
            analysis.sync {}                         // let every fetched item be matched
            processing.sync {}                       // and recorded
        }
    }

    /// Adds to the summary and to the agency's part of it.
    func account(_ agency: AgencyID?, _ change: (inout ScanSummary) -> Void) {
        lock.lock()
        change(&summary)
        if let agency { change(&partials[agency, default: ScanSummary()]) }
        lock.unlock()
    }

    /// The summary parts of these agencies, added up.
    func partSummary(of agencies: [AgencyID]) -> ScanSummary {
        lock.withLock {
            var part = ScanSummary()
            part.sites = agencies.count
            for agency in agencies { if let p = partials[agency] { part.add(p) } }
            part.evidenceFiles = writer?.files ?? []
            return part
        }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }
    var currentWriter: WARCWriter? { lock.withLock { writer } }
    /// What this process did (a cooperative run's own share).
    var ownSummary: ScanSummary { lock.withLock { summary } }
    func setRunID(_ id: RunID) { lock.withLock { runID = id; summary.runID = id } }
    var currentFailure: (any Error)? { lock.withLock { failure } }

    /// Why an agency cannot be scanned at all, if so (a start URL on a private
    /// address without --allow-private-network, or no usable start URL).
    func refusal(for agency: Agency) -> String? {
        guard !agency.urls.isEmpty else { return "no start URL" }
        guard !options.allowPrivateNetwork else { return nil }
        for url in agency.urls {
            guard let host = URLComponents(string: url)?.host?.lowercased() else { return "start URL \(url) is not a valid URL" }
            let literal = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if host == "localhost" || host.hasSuffix(".localhost") {
                return "start URL \(url) points to loopback; pass --allow-private-network to scan it"
            }
            if let why = AddressClassifier.nonPublicReason(literal) {
                return "start URL \(url) points to a \(why) address; pass --allow-private-network to scan it"
            }
        }
        return nil
    }

    // MARK: - Processing (serial queue)

    func enqueue(_ work: @escaping @Sendable () throws -> Void) {
        enqueue(prepare: {}, { _ in try work() })
    }

    /// Runs `prepare` on the analysis queue, then `work` with its result on the processing queue.
    func enqueue<Prepared: Sendable>(prepare: @escaping @Sendable () -> Prepared,
                                     _ work: @escaping @Sendable (Prepared) throws -> Void) {
        backlog.wait()
        analysis.async {
            let prepared = self.hasFailed ? nil : prepare()
            self.processing.async {
                defer { self.backlog.signal() }
                guard let prepared, !self.hasFailed else { return }
                do { try work(prepared) } catch {
                    self.lock.lock(); self.failure = error; let c = self.crawler; self.lock.unlock()
                    self.log.note("error: \(error)")
                    c?.cancel()
                }
            }
        }
    }

    private var hasFailed: Bool {
        lock.lock(); defer { lock.unlock() }
        return failure != nil
    }

    func agencyID(_ site: String) -> AgencyID? { lock.withLock { agencyIDs[site] } }

    func discovered(_ urls: [(url: String, depth: Int)], site: String) {
        guard let agency = agencyID(site) else { return }
        let entries = urls.map { FrontierEntry(url: $0.url, depth: $0.depth) }
        let run = runID
        enqueue { _ = try self.store.addToFrontier(run: run, agency: agency, entries) }
    }

    func fetched(_ page: CrawledPage) {
        guard let agency = agencyID(page.siteKey) else { return }
        let run = runID
        // The decoded page (~12 bytes a character) is needed only by the analysis; the
        // processing stage gets the page without it, so it is freed as soon as it is matched.
        let recorded = { var p = page; p.decoded = nil; return p }()
        enqueue(prepare: { self.analyze(page) }) { analysis in
            try self.process(recorded, analysis: analysis, agency: agency, run: run)
        }
    }

    func finished(_ report: SiteReport) {
        guard let agency = agencyID(report.key) else { return }
        let run = runID
        enqueue {
            self.account(agency) {
                $0.robotsBlocked += report.robotsBlocked
                $0.skippedByTrapLimits += report.skippedByTrapLimits
            }
            if report.pagesFetched == 0 && report.errors == 0 && report.robotsUnavailable {
                let why = "robots.txt unavailable (5xx or unreachable): nothing fetched"
                try self.store.markAgencyFailed(run: run, agency: agency, error: why)
                self.account(agency) { $0.sitesFailed += 1; $0.failures[report.key] = why }
            } else {
                try self.store.markAgencyDone(run: run, agency: agency)
            }
            self.log.siteFinished(report.key, pages: report.pagesFetched, errors: report.errors, findings: nil,
                                  note: report.hitPageBudget ? "page budget reached" : nil)
        }
    }

    /// The findings of a fetched HTML page read in full (nil for anything else). On the analysis queue.
    func analyze(_ page: CrawledPage) -> PageAnalysis? {
        guard page.error == nil, page.status != nil, page.kind == .page, page.isHTML,
              let decoded = page.decoded, !page.notModified else { return nil }
        return PageAnalysis(page: page, decoded: decoded, matcher: matcher)
    }

    /// Records one fetched item: evidence first, then the case queue. `analysis` is ``analyze(_:)``'s.
    func process(_ page: CrawledPage, analysis: PageAnalysis?, agency: AgencyID, run: RunID) throws {
        if let error = page.error {
            if page.kind == .page {
                try store.markFetched(run: run, agency: agency, url: page.url, state: .failed, at: page.fetchedAt)
                count(error: error.kind.rawValue, agency: agency)
            }
            return
        }
        guard let status = page.status else { return }
        // Evidence: every response as fetched (pages, robots.txt and sitemaps).
        var location: WARCLocation?
        if !page.notModified, let writer {
            let exchange = HTTPExchange(
                targetURI: page.url, date: page.fetchedAt, ipAddress: page.serverIP,
                requestHeaders: page.requestHeaders, statusCode: status,
                responseHeaders: page.headers.map { ($0.name, $0.value) }, body: page.body)
            location = try writer.write(exchange, metadataJSON: analysis?.metadataJSON ?? #"{"kind":"\#(page.kind.rawValue)"}"#)
        }
        guard page.kind == .page else { return }
        // On a shared queue, the record of a page with findings goes into the database too
        // (before the cases that cite it), so that an inspector on any machine can verify them.
        if let location, store is any CooperativeCaseQueue, let findings = analysis?.findings, !findings.isEmpty,
           let directory = writer?.directory {
            let member = try WARCReader.memberBytes(at: location, in: directory)
            try store.storeEvidence(agency: agency, url: page.url, record: SharedEvidence(
                warcFile: location.file, warcOffset: location.offset, gzipRecord: member,
                sha256: WARCDigest.sha256(member)))
        }

        if page.notModified {
            let outcome = try store.recordNotModified(run: run, agency: agency, url: page.url, fetchedAt: page.fetchedAt)
            tally(outcome, findings: 0, notModified: true, agency: agency)
            log.progress(pages: 1, findings: 0, errors: 0)
            return
        }
        if status >= 400 { count(error: "http\(status)", agency: agency) }
        let header = { (name: String) in page.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
        let record = PageRecord(
            url: page.url, finalURL: page.redirectTo ?? page.url, title: analysis?.title, status: status,
            contentType: page.contentType, etag: header("ETag"), lastModified: header("Last-Modified"),
            sha256: page.sha256, charsetJSON: analysis?.charsetJSON, fetchedAt: page.fetchedAt,
            warcFile: location?.file, warcOffset: location?.offset, links: page.isHTML ? page.links : nil)
        // A page read in full (or gone: 404/410, or redirected away) is a complete scan of its URL;
        // a server error or content we do not read proves nothing about absent findings.
        let complete = analysis != nil || status == 404 || status == 410 || (300..<400).contains(status)
        let findings = analysis?.findings ?? []
        let outcome = try store.recordPage(run: run, agency: agency, page: record, findings: findings, complete: complete)
        tally(outcome, findings: findings.count, notModified: false, agency: agency)
        log.progress(pages: 1, findings: findings.count, errors: status >= 400 ? 1 : 0)
    }

    func count(error kind: String, agency: AgencyID) {
        account(agency) {
            $0.errors += 1
            $0.errorsByKind[kind, default: 0] += 1
        }
        log.progress(pages: 1, findings: 0, errors: 1)
    }

    func tally(_ outcome: PageOutcome, findings: Int, notModified: Bool, agency: AgencyID) {
        account(agency) {
            $0.pages += 1
            if notModified { $0.notModified += 1 }
            $0.findings += findings
            $0.newCases += outcome.newCases
            $0.seenAgain += outcome.seenAgain
            $0.reopened += outcome.reopened
            $0.noLongerSeen += outcome.noLongerSeen
        }
    }

    /// Forwards the crawler's calls (on its thread) to the processing queue.
    final class Delegate: CrawlDelegate, @unchecked Sendable {
        let job: ScanJob
        init(job: ScanJob) { self.job = job }
        func crawler(_ crawler: Crawler, fetched page: CrawledPage) { job.fetched(page) }
        func crawler(_ crawler: Crawler, discovered urls: [(url: String, depth: Int)], site: String) { job.discovered(urls, site: site) }
        func crawler(_ crawler: Crawler, finished site: SiteReport) { job.finished(site) }
    }
}

/// Calls a closure periodically on a background thread until stopped.
final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    init(every seconds: Double, _ beat: @escaping @Sendable () -> Void) {
        Thread { [self] in
            condition.lock()
            while !stopped {
                if !condition.wait(until: Date().addingTimeInterval(seconds)) && !stopped {
                    condition.unlock(); beat(); condition.lock()
                }
            }
            condition.unlock()
        }.start()
    }

    func stop() {
        condition.lock(); stopped = true; condition.signal(); condition.unlock()
    }
}
