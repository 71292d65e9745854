/// One suspected violation, located exactly in the original page.
public struct Finding: Sendable {
    public var rule: Rule
    /// The rule's severity, raised one level when the phrase was deliberately disguised.
    public var severity: Severity
    public var location: TextLocation
    /// Index of the text run (of those passed to the matcher) it was found in.
    public var runIndex: Int
    /// Scalar indices in that run.
    public var scalarRange: Range<Int>
    /// Raw byte range in the original page: `bytes[byteStart..<byteEnd]`.
    public var byteStart: Int
    public var byteEnd: Int
    /// The matched words as extracted (character references decoded, markup removed).
    public var visibleText: String
    /// The canonical phrase the lexicon knows it as (包过 for `bao 過`), used to identify a case.
    public var phrase: String
    /// Visible text around the match, and where the match sits in it.
    public var context: String
    public var contextMatch: Range<String.Index>
    /// Normalizations that were needed to see the phrase (evidence of evasion).
    public var normalizations: NormalizationFlags
    /// The pattern (as written in the lexicon) that matched.
    public var pattern: String
    /// For a finding of the promise model (rule `model.<category>`): its score and cues.
    public var model: ModelEvidence? = nil
}

/// A match that was not reported, and why (shown with `--show-suppressed`).
public struct SuppressedMatch: Sendable {
    public var finding: Finding
    public var reason: String
    /// Whether the promise model suppressed it (a veto), not a rule's negation or exclusion.
    public var vetoedByModel = false
    /// Whether the promise model may overrule it (``PromiseModel/overrideFlagThreshold``): a
    /// cue's reading of its sentence — a negation, a question, reported speech — which can
    /// misread a promise (从来没有一个需要考第二次). Not a structure the model cannot see: a
    /// table or quotation of banned words, a longer innocent word, a rule's neutral context.
    public var overridable = false
}

/// Everything the matcher found in a set of runs.
public struct ScanResult: Sendable {
    public var findings: [Finding] = []
    public var suppressed: [SuppressedMatch] = []
    public init() {}
}
