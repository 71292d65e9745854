import ClaimText
import Foundation

/// The terminal view of `check`: per target, each finding with the matched
/// words highlighted in their context, then a summary line.
public struct HumanReport: Sendable {
    /// ANSI colour (only on a terminal, and never with NO_COLOR set).
    public var color: Bool
    public var showSuppressed: Bool

    public init(color: Bool, showSuppressed: Bool) {
        self.color = color
        self.showSuppressed = showSuppressed
    }

    /// Whether standard output is a terminal that should get colour.
    public static func wantsColor(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func severityLabel(_ s: Severity) -> String {
        let label = "[\(s.rawValue.uppercased())]"
        switch s {
        case .critical: return paint(label, "1;97;41")
        case .high: return paint(label, "1;31")
        case .medium: return paint(label, "1;33")
        case .low: return paint(label, "36")
        }
    }

    public func render(_ report: TargetReport) -> String {
        var out = ""
        var header = paint("── \(report.target)", "1")
        var facts: [String] = []
        if let final = report.finalURL, final != report.target { facts.append("→ \(final)") }
        if let status = report.status { facts.append("HTTP \(status)") }
        if let c = report.charset {
            facts.append(c.chosen + (c.undecodableBytes > 0 ? " (\(c.undecodableBytes) undecodable bytes)" : ""))
        }
        if let n = report.byteCount { facts.append(HumanReport.size(n)) }
        if let sha = report.sha256 { facts.append("sha256 \(sha.prefix(12))…") }
        if !facts.isEmpty { header += "  " + facts.joined(separator: " · ") }
        out += header + "\n"
        if let c = report.charset, c.header != nil && c.meta != nil && c.reason.contains("disagree") {
            out += "   charset: \(c.reason)\n"
        }
        if let error = report.error { out += "   " + paint("error: \(error)", "1;31") + "\n" }
        for f in report.findings { out += renderFinding(f) }
        if showSuppressed {
            for s in report.suppressed {
                out += renderFinding(s, suppressed: true)
            }
        }
        var summary = "   \(report.findings.count) finding\(report.findings.count == 1 ? "" : "s")"
        let bySeverity = Severity.allCases.reversed().compactMap { s -> String? in
            let n = report.findings.filter { $0.finding.severity == s }.count
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }
        if !bySeverity.isEmpty { summary += " (" + bySeverity.joined(separator: ", ") + ")" }
        if !report.suppressed.isEmpty {
            summary += " · \(report.suppressed.count) suppressed" + (showSuppressed ? "" : " (see --show-suppressed)")
        }
        out += summary + "\n"
        return out
    }

    func renderFinding(_ r: ReportedFinding, suppressed: Bool = false) -> String {
        let f = r.finding
        var out = "\n"
        let tag = suppressed ? paint("[suppressed]", "2") : severityLabel(f.severity)
        out += "   \(tag) \(paint(f.rule.id, "1"))  \(f.rule.category.rawValue) \(f.rule.category.chineseName) — \(f.rule.description)\n"
        let ctx = f.context
        let before = String(ctx[ctx.startIndex..<f.contextMatch.lowerBound])
        let match = String(ctx[f.contextMatch])
        let after = String(ctx[f.contextMatch.upperBound...])
        out += "      …\(before)\(paint(match, suppressed ? "4" : "1;4;31"))\(after)…\n"
        var whereLine = "      \(f.location.rawValue), line \(r.line), bytes \(f.byteStart)–\(f.byteEnd)"
        if r.text != f.visibleText { whereLine += ", source 「\(r.text.replacingOccurrences(of: "\n", with: "⏎"))」" }
        out += whereLine + "\n"
        if !f.normalizations.isEmpty {
            out += "      disguise: \(f.normalizations.names.joined(separator: ", "))"
            if f.severity != f.rule.severity { out += " (severity raised from \(f.rule.severity.rawValue))" }
            out += "\n"
        }
        if let model = f.model {
            out += "      promise model: score \(String(format: "%.2f", model.score)), strongest words \(model.cues.map { "「\($0)」" }.joined(separator: " "))\n"
        }
        out += "      basis: \(f.rule.basis)\n"
        if let reason = r.reason { out += "      why not reported: \(reason)\n" }
        return out
    }

    static func size(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KB", Double(n) / 1024) }
        return String(format: "%.1f MB", Double(n) / 1024 / 1024)
    }
}

/// `check`'s exit status, as documented in the README.
public enum CheckExit {
    /// 0 when every target was read and none has a finding; 1 when any target
    /// has a finding; 3 when none has a finding but some target could not be
    /// read (a failed fetch must never look clean). (2 is for usage and lexicon errors.)
    public static func status(for reports: [TargetReport]) -> Int32 {
        if reports.contains(where: { !$0.findings.isEmpty }) { return 1 }
        if reports.contains(where: { $0.error != nil }) { return 3 }
        return 0
    }

    public static func summary(_ reports: [TargetReport]) -> String {
        let withFindings = reports.filter { !$0.findings.isEmpty }.count
        let failed = reports.filter { $0.error != nil }.count
        let clean = reports.filter { $0.findings.isEmpty && $0.error == nil }.count
        let total = reports.reduce(0) { $0 + $1.findings.count }
        return "\(reports.count) target\(reports.count == 1 ? "" : "s") checked: \(withFindings) with findings (\(total) finding\(total == 1 ? "" : "s")), \(clean) clean, \(failed) could not be read completely"
    }
}
