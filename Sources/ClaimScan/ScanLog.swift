import Foundation

/// Scan progress: a status line redrawn in place on a terminal (sites done,
/// pages, findings, errors, elapsed and remaining), plain log lines otherwise
/// (cron, systemd). Thread-safe.
public final class ScanLog: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private let output: FileHandle
    private var sites = 0, sitesDone = 0, pages = 0, findings = 0, errors = 0
    private var started = Date()
    private var lastDraw = Date.distantPast
    private let quiet: Bool

    /// - Parameters:
    ///   - interactive: redraw a status line (a terminal) instead of writing log lines.
    ///   - quiet: only notes and the end.
    public init(interactive: Bool, quiet: Bool = false, output: FileHandle = .standardError) {
        self.interactive = interactive
        self.quiet = quiet
        self.output = output
    }

    /// Whether standard error is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func write(_ s: String) { output.write(Data(s.utf8)) }

    /// `2024-05-01T08:30:00Z` (UTC), as `ISO8601DateFormatter` writes it — formatted with
    /// `gmtime_r`, because a Foundation date formatter loads ICU's calendar and time-zone
    /// data (~2.6 MB resident, plus heap) for a log line.
    func stamp() -> String {
        var seconds = time_t(Date().timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    public func note(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        if interactive { write("\r\u{1B}[K") }
        write(interactive ? "\(message)\n" : "\(stamp()) \(message)\n")
    }

    func begin(sites: Int, alreadyDone: Int) {
        lock.lock(); defer { lock.unlock() }
        self.sites = sites
        self.sitesDone = alreadyDone
        started = Date()
        if !interactive && !quiet { write("\(stamp()) scanning \(sites - alreadyDone) of \(sites) sites\n") }
    }

    func progress(pages: Int, findings: Int, errors: Int) {
        lock.lock(); defer { lock.unlock() }
        self.pages += pages
        self.findings += findings
        self.errors += errors
        drawIfDue()
    }

    func siteFinished(_ key: String, pages: Int, errors: Int, findings: Int?, note: String?) {
        lock.lock(); defer { lock.unlock() }
        sitesDone += 1
        if interactive {
            drawIfDue(force: true)
        } else if !quiet {
            var line = "\(stamp()) site \(key) done: \(pages) pages, \(errors) errors"
            if let note { line += " (\(note))" }
            write(line + " [\(sitesDone)/\(sites) sites]\n")
        }
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        if interactive { drawIfDue(force: true); write("\n") }
    }

    private func drawIfDue(force: Bool = false) {
        guard interactive, force || Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let elapsed = Date().timeIntervalSince(started)
        var remaining = "–"
        if sitesDone > 0, sitesDone < sites {
            remaining = ScanLog.duration(elapsed / Double(sitesDone) * Double(sites - sitesDone))
        } else if sitesDone >= sites {
            remaining = "0s"
        }
        write("\r\u{1B}[Ksites \(sitesDone)/\(sites) · pages \(pages) · findings \(findings) · errors \(errors) · \(ScanLog.duration(elapsed)) elapsed · ~\(remaining) left")
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\((t % 3600) / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
    }
}
