import ClaimPage
import ClaimText
import Foundation

/// One labelled text of an evaluation corpus (`{"text":…, "label":1|0, "category":…}`).
public struct LabelledText: Sendable {
    public var id: String
    public var text: String
    public var positive: Bool
    public var category: String
    public var disguised: Bool
    public var line: Int
}

/// A bad line in an evaluation file (`FILE:line: why`).
public struct EvaluationInputError: Error, CustomStringConvertible {
    public var description: String
}

/// Precision, recall and false-positive rate of the matcher on labelled texts.
public struct Evaluation: Sendable {
    public struct Counts: Sendable {
        public var truePositives = 0, falseNegatives = 0, falsePositives = 0, trueNegatives = 0
        public var positives: Int { truePositives + falseNegatives }
        public var negatives: Int { falsePositives + trueNegatives }
        public var recall: Double? { positives == 0 ? nil : Double(truePositives) / Double(positives) }
        public var precision: Double? { truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives) }
        public var falsePositiveRate: Double? { negatives == 0 ? nil : Double(falsePositives) / Double(negatives) }
        public init() {}
        public mutating func merge(_ other: Counts) {
            truePositives += other.truePositives; falseNegatives += other.falseNegatives
            falsePositives += other.falsePositives; trueNegatives += other.trueNegatives
        }
        mutating func add(positive: Bool, predicted: Bool) {
            switch (positive, predicted) {
            case (true, true): truePositives += 1
            case (true, false): falseNegatives += 1
            case (false, true): falsePositives += 1
            case (false, false): trueNegatives += 1
            }
        }
    }

    public struct Outcome: Sendable {
        public var item: LabelledText
        public var findings: [Finding]
        public var suppressed: [SuppressedMatch]
        public var predicted: Bool { !findings.isEmpty }
        public var correct: Bool { predicted == item.positive }
    }

    public var overall = Counts()
    public var disguised = Counts()
    public var byCategory: [String: Counts] = [:]
    public var outcomes: [Outcome] = []
    /// Matching throughput on the corpus (characters per second), for orientation only.
    public var seconds: Double = 0

    /// Reads a JSON Lines corpus; every bad line is reported, none skipped.
    public static func load(path: String) throws(EvaluationInputError) -> [LabelledText] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EvaluationInputError(description: "\(path): cannot read file") }
        guard let text = String(data: data, encoding: .utf8) else { throw EvaluationInputError(description: "\(path): not valid UTF-8") }
        var items: [LabelledText] = []
        var problems: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                problems.append("\(path):\(number): not a JSON object"); continue
            }
            guard let body = object["text"] as? String else { problems.append("\(path):\(number): missing \"text\" (a string)"); continue }
            let label: Int
            if let n = object["label"] as? Int, n == 0 || n == 1 { label = n }
            else if let b = object["label"] as? Bool { label = b ? 1 : 0 }
            else { problems.append("\(path):\(number): \"label\" must be 1 or 0"); continue }
            items.append(LabelledText(
                id: (object["id"] as? String) ?? "line \(number)", text: body, positive: label == 1,
                category: (object["category"] as? String) ?? "none", disguised: (object["disguised"] as? Bool) ?? false, line: number))
        }
        if !problems.isEmpty { throw EvaluationInputError(description: problems.joined(separator: "\n")) }
        if items.isEmpty { throw EvaluationInputError(description: "\(path): no labelled texts") }
        return items
    }

    public init(matcher: Matcher, items: [LabelledText]) {
        let clock = ContinuousClock()
        let start = clock.now
        for item in items {
            let result = matcher.scan(Evaluation.runs(of: item.text))
            let outcome = Outcome(item: item, findings: result.findings, suppressed: result.suppressed)
            outcomes.append(outcome)
            overall.add(positive: item.positive, predicted: outcome.predicted)
            if item.positive && item.disguised { disguised.add(positive: true, predicted: outcome.predicted) }
            byCategory[item.category, default: Counts()].add(positive: item.positive, predicted: outcome.predicted)
        }
        let elapsed = clock.now - start
        seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// A labelled text is read as a page would be: fragments with markup or
    /// character references go through the HTML extractor, the rest is plain text.
    public static func runs(of text: String) -> [TextRun] {
        let bytes = Array(text.utf8)
        let page = DecodedPage(bytes: bytes, contentType: "text/plain; charset=utf-8")
        let looksLikeMarkup = text.range(of: #"<[a-zA-Z!/]|&#?[a-zA-Z0-9]+;"#, options: .regularExpression) != nil
        return looksLikeMarkup ? VisibleText.extract(page) : [VisibleText.plainText(page)]
    }

    /// What the promise model changed: texts only it flagged, texts whose rule findings it vetoed.
    func modelSummary() -> String {
        let flagged = outcomes.filter { $0.predicted && $0.findings.allSatisfy { $0.model != nil } }
        let vetoed = outcomes.filter { !$0.predicted && $0.suppressed.contains(where: \.vetoedByModel) }
        guard !flagged.isEmpty || !vetoed.isEmpty else { return "" }
        let flaggedPositive = flagged.filter(\.item.positive).count, vetoedPositive = vetoed.filter(\.item.positive).count
        return "\npromise model: flagged \(flagged.count) text\(flagged.count == 1 ? "" : "s") the rules did not report "
            + "(\(flaggedPositive) positive, \(flagged.count - flaggedPositive) negative); "
            + "vetoed the rule findings of \(vetoed.count) "
            + "(\(vetoed.count - vetoedPositive) negative, \(vetoedPositive) positive)\n"
    }

    static func pct(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "  –  " }

    /// The printed report: overall, disguised, per category, then misses and false alarms.
    public func report(listErrors: Bool = true) -> String {
        var out = ""
        out += "texts: \(outcomes.count) (\(overall.positives) positive, \(overall.negatives) negative)\n\n"
        out += "                      precision  recall  fp-rate    tp   fn   fp   tn\n"
        func row(_ name: String, _ c: Counts) -> String {
            name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + "\(Evaluation.pct(c.precision))     \(Evaluation.pct(c.recall))   \(Evaluation.pct(c.falsePositiveRate))"
                + String(format: "  %4d %4d %4d %4d", c.truePositives, c.falseNegatives, c.falsePositives, c.trueNegatives) + "\n"
        }
        out += row("overall", overall)
        out += row("disguised positives", disguised)
        for name in byCategory.keys.sorted() { out += row("  " + name, byCategory[name]!) }
        out += modelSummary()
        if listErrors {
            let misses = outcomes.filter { $0.item.positive && !$0.predicted }
            let alarms = outcomes.filter { !$0.item.positive && $0.predicted }
            out += "\nmisses (\(misses.count)):\n"
            for m in misses {
                out += "  \(m.item.id) [\(m.item.category)] \(m.item.text)\n"
                for s in m.suppressed { out += "      suppressed \(s.finding.rule.id) 「\(s.finding.visibleText)」: \(s.reason)\n" }
            }
            out += "\nfalse alarms (\(alarms.count)):\n"
            for a in alarms {
                out += "  \(a.item.id) [\(a.item.category)] \(a.item.text)\n"
                for f in a.findings { out += "      \(f.rule.id) 「\(f.visibleText)」\n" }
            }
        }
        return out
    }
}
