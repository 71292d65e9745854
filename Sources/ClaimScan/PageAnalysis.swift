import ClaimCases
import ClaimCheck
import ClaimCrawl
import ClaimPage
import ClaimText
import Foundation

/// Turns a crawled HTML page into case-queue findings and the WARC metadata
/// that goes with it (the same pipeline as `check`).
struct PageAnalysis {
    var findings: [FindingRecord] = []
    var title: String?
    var charsetJSON: String?
    var metadataJSON: String = "{}"

    init(page: CrawledPage, decoded: DecodedPage, matcher: Matcher) {
        let runs = VisibleText.extract(decoded)
        let result = matcher.scan(runs)
        title = runs.first { $0.location == .title }.map { $0.string.trimmingCharacters(in: .whitespacesAndNewlines) }
        findings = result.findings.map { f in
            FindingRecord(
                rule: f.rule.id, category: f.rule.category.rawValue,
                severity: CaseSeverity(rawValue: f.severity.rawValue) ?? .medium,
                phrase: f.phrase, text: decoded.text(bytes: f.byteStart..<f.byteEnd),
                context: f.context, location: f.location.rawValue,
                byteStart: f.byteStart, byteEnd: f.byteEnd,
                normalizations: f.normalizations.names, basis: f.rule.basis, description: f.rule.description)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        charsetJSON = (try? encoder.encode(decoded.decision)).flatMap { String(data: $0, encoding: .utf8) }
        var meta = JSONObject()
        meta["charset"] = .raw(charsetJSON ?? "null")
        meta["findings"] = .array(result.findings.map { f in
            var o = JSONObject()
            o["rule"] = .string(f.rule.id)
            o["severity"] = .string(f.severity.rawValue)
            o["phrase"] = .string(f.phrase)
            o["byte_start"] = .int(f.byteStart)
            o["byte_end"] = .int(f.byteEnd)
            o["normalizations"] = .array(f.normalizations.names.map(JSONValue.string))
            if let model = f.model {
                o["model_score"] = .raw(String(format: "%.3f", model.score))
                o["model_cues"] = .array(model.cues.map(JSONValue.string))
            }
            return .object(o)
        })
        meta["suppressed"] = .int(result.suppressed.count)
        metadataJSON = JSONValue.object(meta).serialized
    }
}
