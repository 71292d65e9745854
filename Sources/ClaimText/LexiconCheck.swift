/// The outcome of one rule example.
public struct ExampleFailure: Sendable, CustomStringConvertible {
    public var rule: String
    public var example: RuleExample
    public var expectedMatch: Bool
    /// What happened instead: the other rules that matched, or why it was suppressed.
    public var detail: String
    public var description: String {
        "\(example.location): rule `\(rule)`: \(expectedMatch ? "must match but did not" : "must not match but did"): \(example.text)\(detail.isEmpty ? "" : " (\(detail))")"
    }
}

/// A problem with a lexicon that does not stop it from loading.
public struct LintWarning: Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public var description: String { "\(location): \(message)" }
}

extension Matcher {
    /// Runs every rule's `match` and `nomatch` examples. A `match` example must
    /// produce a finding of that rule; a `nomatch` example must not.
    public func testExamples() -> (passed: Int, failures: [ExampleFailure]) {
        var passed = 0
        var failures: [ExampleFailure] = []
        for rule in lexicon.rules {
            for example in rule.mustMatch {
                let result = scan(text: example.text)
                if result.findings.contains(where: { $0.rule.id == rule.id }) { passed += 1; continue }
                let suppressed = result.suppressed.filter { $0.finding.rule.id == rule.id }.map(\.reason)
                let others = result.findings.map(\.rule.id)
                let detail = !suppressed.isEmpty ? "suppressed: " + suppressed.joined(separator: "; ")
                    : (others.isEmpty ? "" : "found only: " + others.joined(separator: ", "))
                failures.append(ExampleFailure(rule: rule.id, example: example, expectedMatch: true, detail: detail))
            }
            for example in rule.mustNotMatch {
                let result = scan(text: example.text)
                let hits = result.findings.filter { $0.rule.id == rule.id }
                if hits.isEmpty { passed += 1; continue }
                failures.append(ExampleFailure(rule: rule.id, example: example, expectedMatch: false,
                                               detail: "matched 「" + hits.map(\.visibleText).joined(separator: "」「") + "」"))
            }
        }
        return (passed, failures)
    }

    /// Checks that need the compiled lexicon: phrases too short to be safe,
    /// patterns shadowed by another rule's, exclusions that can never apply,
    /// and examples that contradict each other.
    public func lint() -> [LintWarning] {
        var warnings: [LintWarning] = []
        var literalOwners: [String: [(rule: String, location: SourceLocation)]] = [:]
        for (r, rule) in lexicon.rules.enumerated() {
            var ruleLiterals: [String] = []
            for (p, pattern) in rule.patterns.enumerated() {
                let location = SourceLocation(file: rule.location.file, line: pattern.line)
                for (t, term) in pattern.terms.enumerated() {
                    for (a, alternative) in term.enumerated() {
                        let literal = canonical[r][p][t][a]
                        ruleLiterals.append(literal)
                        let length = literal.unicodeScalars.count
                        let hasToken = alternative.leading != nil || alternative.trailing != nil
                        if pattern.terms.count == 1 && !hasToken && length < 2 {
                            warnings.append(LintWarning(location: location, message: "rule `\(rule.id)`: phrase `\(literal)` is a single character; it will match inside ordinary words"))
                        }
                        if pattern.terms.count == 1 && !hasToken && length >= 1 && literal.unicodeScalars.allSatisfy({ $0.isASCII }) && length < 4 {
                            warnings.append(LintWarning(location: location, message: "rule `\(rule.id)`: Latin phrase `\(literal)` is shorter than 4 letters; it will match inside English words"))
                        }
                        if pattern.terms.count == 1 && !hasToken { literalOwners[literal, default: []].append((rule.id, location)) }
                    }
                }
            }
            for (word, line) in zip(rule.exclusions, rule.exclusionLines) {
                let normalized = CharTable.shared.normalize(word).filter { !$0.isWhitespace }
                if !ruleLiterals.contains(where: { !$0.isEmpty && normalized.contains($0) && normalized != $0 }) {
                    warnings.append(LintWarning(location: SourceLocation(file: rule.location.file, line: line), message: "rule `\(rule.id)`: exclusion `\(word)` contains none of the rule's phrases (as a longer word), so it can never apply"))
                }
            }
            // Contradicting examples: the same text both must and must not match.
            let must = Set(rule.mustMatch.map(\.text))
            for example in rule.mustNotMatch where must.contains(example.text) {
                warnings.append(LintWarning(location: example.location, message: "rule `\(rule.id)`: the same example must match and must not match"))
            }
        }
        for (literal, owners) in literalOwners where Set(owners.map(\.rule)).count > 1 {
            let names = owners.map { "`\($0.rule)` (\($0.location))" }.joined(separator: ", ")
            warnings.append(LintWarning(location: owners[0].location, message: "phrase `\(literal)` is in several rules: \(names); one shadows the other"))
        }
        // Examples one rule must not match but another rule's examples say must match, with the same category.
        for rule in lexicon.rules {
            for example in rule.mustNotMatch {
                for other in lexicon.rules where other.id != rule.id && other.category == rule.category {
                    if other.mustMatch.contains(where: { $0.text == example.text }) {
                        warnings.append(LintWarning(location: example.location, message: "example is a `nomatch` of `\(rule.id)` but a `match` of `\(other.id)` in the same category; check the examples agree"))
                    }
                }
            }
        }
        warnings += lintCues()
        return warnings.sorted { ($0.location.file, $0.location.line) < ($1.location.file, $1.location.line) }
    }

    /// Negation cues that can never apply: limited to categories that no negatable rule
    /// has, or spelled exactly like a word listed as "not a cue" (`exclude`).
    func lintCues() -> [LintWarning] {
        let negation = lexicon.negation
        let location = negation.location ?? SourceLocation(file: lexicon.files.first ?? "lexicon", line: 0)
        var warnings: [LintWarning] = []
        let negatableCategories = Set(lexicon.rules.filter(\.negatable).map(\.category))
        for (key, categories) in negation.scopes.sorted(by: { ($0.key.kind, $0.key.cue) < ($1.key.kind, $1.key.cue) })
        where categories.isDisjoint(with: negatableCategories) {
            let names = categories.map(\.rawValue).sorted().joined(separator: ", ")
            warnings.append(LintWarning(location: location, message: "`\(key.kind)` cue `\(key.cue)` is limited to \(names), where no rule can be negated; it can never apply"))
        }
        func canonical(_ word: String) -> String { CharTable.shared.normalize(word).filter { !$0.isWhitespace } }
        let notCues = Set(negation.exclusions.map(canonical))
        let kinds: [(String, [String])] = [("before", negation.before), ("after", negation.after), ("answer", negation.answers),
                                           ("report", negation.reports), ("question", negation.questions), ("mention", negation.mentions),
                                           ("advert", negation.adverts)]
        for (kind, cues) in kinds {
            for cue in cues where !cue.contains("~") && notCues.contains(canonical(cue)) {
                warnings.append(LintWarning(location: location, message: "`\(kind)` cue `\(cue)` is also listed as not a cue (`exclude`); it can never apply"))
            }
        }
        return warnings
    }
}
