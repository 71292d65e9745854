import ClaimFetch
import ClaimPage
import Foundation

/// How a crawl behaves: budgets, politeness, retries, trap limits, and the fetch policy every
/// transfer follows.
public struct CrawlSettings: Sendable {
    /// Pages fetched per site at most (redirects, errors and pages already `done` in a resumed
    /// run count; robots.txt and sitemaps do not).
    public var maxPagesPerSite = 200
    /// Link depth at most (start URLs are depth 0, sitemap entries depth 1).
    public var maxDepth = 4
    /// Seconds between the end of one request and the start of the next to the same host (0: no wait).
    public var delay: Double = 2.0
    /// ± this fraction of the delay, at random.
    public var jitter: Double = 0.25
    /// Hosts with a request in flight at once.
    public var concurrency = 32
    /// robots.txt `Crawl-delay` is honoured up to this many seconds.
    public var crawlDelayCap: Double = 30
    /// A 429/503 `Retry-After` is honoured up to this many seconds.
    public var retryAfterCap: Double = 120
    /// Retries of one URL after a timeout, a connection failure, a 5xx or a 429.
    public var retries = 2
    /// Seconds before the first retry; doubled for each further one (exponential backoff).
    public var retryBackoff: Double = 2.0
    /// Redirects followed in a row from one URL.
    public var maxRedirects = 5
    /// Longer URLs are skipped (crawler-trap limit).
    public var maxURLLength = 2048
    /// A URL with a path segment occurring more often than this is skipped (`/a/a/a/a/`).
    public var maxRepeatedSegments = 3
    /// Distinct query strings fetched per path at most (`/calendar?month=N`).
    public var maxQueryVariantsPerPath = 25
    /// Sitemaps fetched per site at most (robots.txt `Sitemap:` lines, `/sitemap.xml`, and the
    /// sitemaps of a sitemap index, which is followed one level).
    public var maxSitemapsPerSite = 10
    /// Whether robots.txt is fetched and obeyed.
    public var obeyRobots = true
    /// The product token matched against robots.txt `User-agent` lines.
    public var userAgentToken = "claimscan"
    /// Timeouts, body limit, private-network policy and User-Agent of every transfer.
    public var fetch: FetchPolicy

    /// Settings with the defaults above and `fetch`.
    public init(fetch: FetchPolicy = FetchPolicy()) {
        self.fetch = fetch
    }
}

/// One site to crawl: an agency and where to start, plus what a previous run left.
public struct SiteSeed: Sendable {
    /// The agency's registration number; reported back with every item.
    public var key: String
    /// Where to start (depth 0). Their hosts (with or without `www.`) are the site's scope.
    public var startURLs: [String]
    /// Normalized URLs already fetched in this run (resume): never fetched again, treated as seen,
    /// and counted against ``CrawlSettings/maxPagesPerSite``.
    public var done: Set<String> = []
    /// The frontier of a resumed run, enqueued at their depths besides the start URLs.
    public var pending: [(url: String, depth: Int)] = []
    /// Normalized URL → validators of a previous scan, sent as `If-None-Match` / `If-Modified-Since`.
    public var validators: [String: (etag: String?, lastModified: String?)] = [:]
    /// Normalized URL → outlinks known from a previous scan, followed when the page answers 304.
    public var cachedLinks: [String: [String]] = [:]

    /// A seed with nothing from previous runs.
    public init(key: String, startURLs: [String]) {
        self.key = key
        self.startURLs = startURLs
    }
}

/// What a fetched item was.
public enum CrawlItemKind: String, Sendable {
    case page, robots, sitemap
}

/// One fetched item (page, robots.txt or sitemap), or one that failed.
public struct CrawledPage: Sendable {
    /// ``SiteSeed/key`` of the site.
    public var siteKey: String
    public var kind: CrawlItemKind
    /// The normalized URL, as requested.
    public var url: String
    public var depth: Int
    /// The request header lines as sent (not the request line), for a WARC request record.
    public var requestHeaders: [(String, String)]
    /// The final HTTP status; `nil` when the transfer failed (see ``error``).
    public var status: Int?
    public var headers: [ResponseHeader]
    /// The body after content decoding; released after the delegate call.
    public var body: [UInt8]
    public var serverIP: String?
    public var fetchedAt: Date
    /// Lowercase hex SHA-256 of ``body``; `nil` when the transfer failed.
    public var sha256: String?
    /// The page answered 304 to a conditional request.
    public var notModified: Bool
    /// The response is HTML (by Content-Type, or sniffed when there is none).
    public var isHTML: Bool
    /// The decoded page, for HTML responses with a body.
    public var decoded: DecodedPage?
    /// For a redirect: the normalized absolute `Location`.
    public var redirectTo: String?
    /// In-scope normalized outlinks found on this page (or its cached links after a 304),
    /// before de-duplication against the rest of the crawl.
    public var links: [String]
    /// The transfer failure, after retries.
    public var error: FetchError?
    /// Requests made for this item (1 + retries).
    public var attempts: Int

    /// The `Content-Type` header value, if any.
    public var contentType: String? {
        headers.first { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }?.value
    }
}

/// What happened to one site.
public struct SiteReport: Sendable {
    public var key: String
    /// Pages fetched in this run (with a response or a final error; not robots.txt or sitemaps).
    public var pagesFetched: Int
    /// Pages that ended with a transfer error or a 4xx/5xx status.
    public var errors: Int
    /// ``errors`` by ``FetchError/Kind`` raw value, or `http<status>` for error statuses, plus
    /// `tooManyRedirects` for redirect chains cut off.
    public var errorsByKind: [String: Int]
    /// Pages not fetched because robots.txt disallows them or could not be read.
    public var robotsBlocked: Int
    /// URLs skipped by the crawler-trap limits (length, repeated segments, query variants).
    public var skippedByTrapLimits: Int
    /// More pages were found than ``CrawlSettings/maxPagesPerSite`` allowed.
    public var hitPageBudget: Bool
    /// robots.txt of at least one of the site's hosts stayed unavailable (5xx or unreachable).
    public var robotsUnavailable: Bool
}

/// Receives a crawl's results. Called on the crawler's thread; keep the calls short.
public protocol CrawlDelegate: AnyObject, Sendable {
    /// Every fetched item (pages, robots.txt, sitemaps, failures), in completion order.
    func crawler(_ crawler: Crawler, fetched page: CrawledPage)
    /// New frontier entries accepted for a site (normalized, in scope, not seen before), so the
    /// receiver can persist the frontier for resume.
    func crawler(_ crawler: Crawler, discovered urls: [(url: String, depth: Int)], site: String)
    /// A site has nothing left to fetch.
    func crawler(_ crawler: Crawler, finished site: SiteReport)
}
