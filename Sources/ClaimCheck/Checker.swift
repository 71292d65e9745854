import ClaimFetch
import ClaimPage
import ClaimText
import Crypto
import Foundation

/// Reads one target (URL, local file or standard input), extracts its
/// visible text and runs the matcher over it.
public struct Checker: Sendable {
    /// The matcher, possibly still compiling: a check reads and decodes its target first.
    let pendingMatcher: PendingMatcher
    public let fetcher: Fetcher
    /// Largest local file or standard input read (same limit as a fetched body).
    public var maxBytes: Int
    /// From this size on (bytes), a page's characters cover most of the lexicon, so compiling
    /// for them saves little, while decoding it takes longer than compiling the whole lexicon:
    /// the full compile starts at once and runs beside the decoding.
    public var largePage = 2_000_000

    public init(matcher: Matcher, policy: FetchPolicy = .init()) {
        self.init(pending: PendingMatcher(matcher), policy: policy)
    }

    /// A checker whose matcher is still being compiled; if compiling fails, every check
    /// reports the error (kind `lexicon`) instead of findings.
    public init(pending: PendingMatcher, policy: FetchPolicy = .init()) {
        self.pendingMatcher = pending
        self.fetcher = Fetcher(policy: policy)
        self.maxBytes = policy.maxBodyBytes
    }

    /// How a target string is understood.
    public enum TargetKind: Equatable {
        case url(String)
        case file(String)
        case stdin
    }

    /// `-` is standard input; anything with a `scheme://` is a URL (only
    /// http and https are fetched); everything else is a local path.
    public static func classify(_ target: String) -> TargetKind {
        if target == "-" { return .stdin }
        if let range = target.range(of: "://"), !target[..<range.lowerBound].isEmpty,
           target[..<range.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) {
            return .url(target)
        }
        return .file(target)
    }

    /// Checks one target. Never throws: a problem becomes the report's `error`.
    public func check(_ target: String, standardInput: () -> [UInt8]? = Checker.readStandardInput, forceHTML: Bool = false) -> TargetReport {
        switch Checker.classify(target) {
        case .url(let url): return checkURL(url)
        case .file(let path): return checkFile(path, forceHTML: forceHTML)
        case .stdin:
            var report = TargetReport(target: target, kind: .stdin)
            guard let bytes = standardInput() else {
                report.error = "could not read standard input"
                report.errorKind = "read"
                return report
            }
            if bytes.count > maxBytes {
                report.error = "standard input is larger than the body limit (\(maxBytes) bytes)"
                report.errorKind = "read"
                return report
            }
            report.fetchedAt = Date()
            if bytes.count >= largePage { pendingMatcher.compileInBackground() }
            analyse(bytes, contentType: nil, html: forceHTML || Checker.looksLikeHTML(bytes), into: &report)
            return report
        }
    }

    func checkURL(_ url: String) -> TargetReport {
        var report = TargetReport(target: url, kind: .url)
        let result: FetchResult
        do {
            result = try fetcher.fetch(url)
        } catch {
            report.error = error.description
            report.errorKind = error.kind.rawValue
            report.redirects = error.hops
            return report
        }
        report.finalURL = result.finalURL
        report.status = result.status
        report.redirects = result.hops
        report.serverIP = result.serverIP
        report.headers = result.headers
        report.contentType = result.contentType
        report.fetchedAt = result.fetchedAt
        report.sha256 = result.sha256
        if result.status >= 400 {
            report.error = "HTTP \(result.status) from \(result.finalURL)"
            report.errorKind = "http-status"
        }
        let mediaType = result.contentType.map(Checker.mediaType) ?? ""
        let html: Bool
        switch mediaType {
        case "text/html", "application/xhtml+xml": html = true
        case "text/plain": html = false
        case "": html = Checker.looksLikeHTML(result.body)
        default:
            if mediaType.hasPrefix("text/") {
                html = Checker.looksLikeHTML(result.body)
            } else {
                report.byteCount = result.body.count
                report.error = report.error ?? "not scanned: content type \(mediaType) is not HTML or text"
                report.errorKind = report.errorKind ?? "unsupported-content"
                return report
            }
        }
        analyse(result.body, contentType: result.contentType, html: html, into: &report)
        return report
    }

    func checkFile(_ path: String, forceHTML: Bool) -> TargetReport {
        var report = TargetReport(target: path, kind: .file)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            report.error = "no such file: \(path)"
            report.errorKind = "read"
            return report
        }
        guard !isDirectory.boolValue else {
            report.error = "\(path) is a directory"
            report.errorKind = "read"
            return report
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxBytes else {
            report.error = "\(path) is \(size) bytes, over the body limit of \(maxBytes) bytes (raise --max-body-bytes)"
            report.errorKind = "read"
            return report
        }
        if size >= largePage { pendingMatcher.compileInBackground() }
        guard let data = FileManager.default.contents(atPath: path) else {
            report.error = "cannot read \(path) (permission denied?)"
            report.errorKind = "read"
            return report
        }
        report.fetchedAt = Date()
        let lower = path.lowercased()
        let html = forceHTML || lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml")
        analyse([UInt8](data), contentType: nil, html: html, into: &report)
        return report
    }

    /// Decodes, extracts visible text, matches, and fills the report.
    func analyse(_ bytes: [UInt8], contentType: String?, html: Bool, into report: inout TargetReport) {
        let page = DecodedPage(bytes: bytes, contentType: contentType)
        let runs = html ? VisibleText.extract(page) : [VisibleText.plainText(page)]
        report.parsedAs = html ? "html" : "text"
        report.charset = page.decision
        report.byteCount = bytes.count
        if report.sha256 == nil { report.sha256 = SHA256.hash(data: bytes).hexString }
        let lines = LineIndex(bytes)
        let result: ScanResult
        switch pendingMatcher.matcher(for: runs) {
        case .success(let matcher): result = matcher.scan(runs)
        case .failure(let error):
            report.error = "the lexicon did not compile: \(error)"
            report.errorKind = "lexicon"
            return
        }
        report.findings = result.findings.map {
            ReportedFinding(finding: $0, text: page.text(bytes: $0.byteStart..<$0.byteEnd), line: lines.line(of: $0.byteStart), reason: nil)
        }
        report.suppressed = result.suppressed.map {
            ReportedFinding(finding: $0.finding, text: page.text(bytes: $0.finding.byteStart..<$0.finding.byteEnd),
                            line: lines.line(of: $0.finding.byteStart), reason: $0.reason)
        }
    }

    static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// Whether bytes of unknown type look like HTML (a tag near the start).
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") || head.contains("<head")
            || head.contains("<div") || head.contains("<p>") || head.contains("<meta")
    }

    /// Reads standard input to its end with read(2), retrying after signals
    /// (Foundation's readDataToEndOfFile traps on EINTR). Nil on a read error.
    public static func readStandardInput() -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]); continue }
            if n == 0 { return bytes }
            if errno == EINTR { continue }
            return nil
        }
    }
}

/// Line numbers of byte offsets in a raw page.
struct LineIndex {
    let newlines: [Int]
    init(_ bytes: [UInt8]) {
        var n: [Int] = []
        for (i, b) in bytes.enumerated() where b == 0x0A { n.append(i) }
        newlines = n
    }
    /// 1-based line containing `offset`.
    func line(of offset: Int) -> Int {
        var lo = 0, hi = newlines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if newlines[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo + 1
    }
}
