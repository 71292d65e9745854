/// The rules of one robots.txt file for one crawler, per RFC 9309.
///
/// - Groups: the crawler obeys the group(s) whose `user-agent` matches its product token
///   (case-insensitively; a value like `claimscan/1.0` matches `claimscan`), else the `*`
///   group(s); several matching groups are merged. Without either, everything is allowed.
/// - `allow` / `disallow`: the longest matching pattern wins; `allow` wins a tie; `*` matches
///   any run of characters and a final `$` anchors the end. Patterns and paths are compared
///   with normalized percent-encoding. An empty `disallow` is no rule. `/robots.txt` is
///   always allowed.
/// - `crawl-delay` (a non-standard but common line) of the chosen group, and every
///   `sitemap` line wherever it stands.
/// - Only the first 500 KiB are parsed.
public struct RobotsRules: Sendable {
    struct Rule: Sendable {
        var allow: Bool
        var pattern: [UInt8]
    }

    var rules: [Rule]
    /// The `crawl-delay` of the chosen group, in seconds.
    public var crawlDelay: Double?
    /// The `sitemap` URLs, as written.
    public var sitemaps: [String]

    /// Rules that allow everything (robots.txt answered 4xx, or not consulted).
    public static let allowAll = RobotsRules(rules: [], crawlDelay: nil, sitemaps: [])
    /// Rules that disallow everything (robots.txt unreachable or 5xx).
    public static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: Array("/".utf8))], crawlDelay: nil, sitemaps: [])

    init(rules: [Rule], crawlDelay: Double?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Parses a robots.txt body for the crawler whose product token is `userAgent`.
    public init(parsing text: String, userAgent: String) {
        struct Group {
            var agents: [String] = []
            var rules: [Rule] = []
            var crawlDelay: Double?
            var hasContent = false
        }
        var groups: [Group] = []
        var current: Group?
        var sitemaps: [String] = []
        let limited = text.utf8.count > 512_000 ? String(decoding: text.utf8.prefix(512_000), as: UTF8.self) : text

        for rawLine in limited.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces.lowercased()
            let value = String(line[line.index(after: colon)...].trimmingSpaces)
            switch key {
            case "user-agent", "useragent", "user agent":
                if let g = current, g.hasContent {
                    groups.append(g)
                    current = nil
                }
                if current == nil { current = Group() }
                current!.agents.append(Self.productToken(value))
            case "allow", "disallow":
                guard current != nil else { continue }
                current!.hasContent = true
                guard !value.isEmpty else { continue }
                var pattern = value
                if !pattern.hasPrefix("/"), !pattern.hasPrefix("*") { pattern = "/" + pattern }
                let normalized = URLNormalizer.normalizePercentEncoding(pattern)
                current!.rules.append(Rule(allow: key == "allow", pattern: Array(normalized.utf8)))
            case "crawl-delay":
                guard current != nil else { continue }
                current!.hasContent = true
                if let d = Double(value), d >= 0, d.isFinite, current!.crawlDelay == nil { current!.crawlDelay = d }
            case "sitemap", "site-map":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                continue
            }
        }
        if let current { groups.append(current) }

        let token = Self.productToken(userAgent)
        var chosen = groups.filter { $0.agents.contains(token) }
        if chosen.isEmpty { chosen = groups.filter { $0.agents.contains("*") } }
        self.rules = chosen.flatMap(\.rules)
        self.crawlDelay = chosen.lazy.compactMap(\.crawlDelay).first
        self.sitemaps = sitemaps
    }

    /// The lowercased product token of a user-agent value: `ClaimScan/1.0 (+…)` → `claimscan`.
    static func productToken(_ value: String) -> String {
        let trimmed = value.trimmingSpaces
        if trimmed.hasPrefix("*") { return "*" }
        return String(trimmed.prefix { $0.isLetter || $0 == "-" || $0 == "_" }).lowercased()
    }

    /// Whether the crawler may fetch `pathAndQuery` (`/path?query`, as in a normalized URL).
    public func allows(_ pathAndQuery: String) -> Bool {
        if rules.isEmpty { return true }
        var path = URLNormalizer.normalizePercentEncoding(pathAndQuery.isEmpty ? "/" : pathAndQuery)
        if !path.hasPrefix("/") { path = "/" + path }
        if path == "/robots.txt" { return true }
        let p = Array(path.utf8)
        var bestLength = -1
        var bestAllow = true
        for rule in rules where Self.matches(rule.pattern, p) {
            let n = rule.pattern.count
            if n > bestLength || (n == bestLength && rule.allow) {
                bestLength = n
                bestAllow = rule.allow
            }
        }
        return bestLength < 0 ? true : bestAllow
    }

    /// Whether `pattern` (with `*` and a final `$`) matches a prefix of `path` (all of it with `$`).
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        var pat = pattern
        let anchored = pat.last == UInt8(ascii: "$")
        if anchored { pat.removeLast() } else { pat.append(UInt8(ascii: "*")) }
        // Iterative wildcard matching with backtracking to the last `*` (linear in practice).
        var p = 0, s = 0
        var starP = -1, starS = 0
        while s < path.count {
            if p < pat.count, pat[p] == UInt8(ascii: "*") {
                starP = p
                starS = s
                p += 1
            } else if p < pat.count, pat[p] == path[s] {
                p += 1
                s += 1
            } else if starP >= 0 {
                p = starP + 1
                starS += 1
                s = starS
            } else {
                return false
            }
        }
        while p < pat.count, pat[p] == UInt8(ascii: "*") { p += 1 }
        return p == pat.count
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{FEFF}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
