import Foundation

/// A problem in a lexicon file, reported as `file:line: what is wrong`.
public struct LexiconError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Why a pattern expression could not be read.
public struct PatternSyntaxError: Error, Sendable { public var message: String }

/// Every problem found while reading a lexicon (all of them, not just the first).
public struct LexiconErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LexiconError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads the lexicon's plain-text rule format (documented in lexicons/README.md).
///
/// ```
/// [rule pass-guarantee.bao-guo]
/// category    = pass-guarantee
/// severity    = high
/// basis       = 广告法第二十四条第（一）项
/// description = 宣称“包过”，即保证考试通过
/// pattern     = 包过 | 保过
/// pattern     = 保证|确保 ~ 通过
/// exclude     = 打包过程 | 包过滤
/// match       = 本班包过，报名从速
/// nomatch     = 严禁宣传“包过”
/// ```
public enum LexiconParser {
    static let ruleKeys: Set<String> = ["category", "severity", "basis", "description", "pattern", "exclude", "match", "nomatch", "negatable", "unless-before", "unless-after", "unless-window", "ratio"]
    static let negationKeys: Set<String> = ["before", "after", "answer", "affirm", "asker", "greeting", "report", "question", "break", "exclude", "mention", "advert", "before-window", "after-window"]
    /// Cue kinds that may be limited to categories: `before[insider-claim, no-real-assessment] = …`.
    static let scopableKeys: Set<String> = ["before", "after", "answer", "affirm", "report", "question", "mention"]
    static let multiValued: Set<String> = ["pattern", "exclude", "match", "nomatch", "before", "after", "answer", "affirm", "asker", "greeting", "report", "question", "break", "mention", "advert", "unless-before", "unless-after"]

    /// Loads every `*.rules` file of a directory (sorted by name), or a single file, and the
    /// directory's `promise.model` if it has one and `model` is true (the rules alone neither
    /// read nor check the model file).
    public static func load(path: String, model: Bool = true) throws(LexiconErrors) -> Lexicon {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LexiconErrors(errors: [LexiconError(file: path, line: 0, message: "no such file or directory")])
        }
        var files: [String] = []
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".rules") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty {
                throw LexiconErrors(errors: [LexiconError(file: path, line: 0, message: "no *.rules files in this directory")])
            }
        } else {
            files = [path]
        }
        var sources: [(String, String)] = []
        var errors: [LexiconError] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                errors.append(LexiconError(file: file, line: 0, message: "cannot read file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(LexiconError(file: file, line: 0, message: "not valid UTF-8 (rule files must be UTF-8)"))
                continue
            }
            sources.append((file, text))
        }
        if !errors.isEmpty { throw LexiconErrors(errors: errors) }
        var lexicon = try parse(sources)
        // A lexicon folder may hold the promise model (see ``PromiseModel``).
        let modelPath = (path as NSString).appendingPathComponent(PromiseModel.fileName)
        if model, isDirectory.boolValue, FileManager.default.fileExists(atPath: modelPath) {
            do { lexicon.model = try PromiseModel(contentsOf: modelPath) } catch {
                throw LexiconErrors(errors: [LexiconError(file: modelPath, line: 0, message: error.reason)])
            }
        }
        return lexicon
    }

    /// Parses rule files given as (file name, contents) pairs.
    public static func parse(_ sources: [(file: String, text: String)]) throws(LexiconErrors) -> Lexicon {
        if let lexicon = parseInTwoHalves(sources) { return lexicon }
        var state = ParseState()
        for (file, text) in sources { state.parseFile(file: file, text: text) }
        state.finish()
        if !state.errors.isEmpty { throw LexiconErrors(errors: state.errors) }
        return Lexicon(rules: state.rules, negation: state.negation, globalExclusions: state.globalExclusions, files: sources.map(\.file))
    }

    /// The files split in two halves (by size, in order), parsed on two threads: parsing is
    /// a fifth of compiling the lexicon at every start-up. Only for a lexicon that parses
    /// cleanly, with its rule ids unique and the `[negation]` section in one half — then the
    /// result is the same as parsing in order; otherwise (nil) the sequential parse runs and
    /// reports every problem in file order.
    static func parseInTwoHalves(_ sources: [(file: String, text: String)]) -> Lexicon? {
        guard sources.count >= 2 else { return nil }
        let total = sources.reduce(0) { $0 + $1.text.utf8.count }
        var split = 1, size = sources[0].text.utf8.count
        while split < sources.count - 1, size + sources[split].text.utf8.count <= total / 2 {
            size += sources[split].text.utf8.count
            split += 1
        }
        final class Box: @unchecked Sendable { var state = ParseState() }
        let second = Box()
        let secondHalf = Array(sources[split...])
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for (file, text) in secondHalf { second.state.parseFile(file: file, text: text) }
            done.signal()
        }
        var first = ParseState()
        for (file, text) in sources[..<split] { first.parseFile(file: file, text: text) }
        done.wait()
        let other = second.state
        guard first.errors.isEmpty, other.errors.isEmpty,
              first.negation.location == nil || other.negation.location == nil,
              Set(first.seenIDs.keys).isDisjoint(with: other.seenIDs.keys) else { return nil }
        return Lexicon(rules: first.rules + other.rules,
                       negation: other.negation.location != nil ? other.negation : first.negation,
                       globalExclusions: first.globalExclusions + other.globalExclusions,
                       files: sources.map(\.file))
    }

    /// Parses one pattern expression (`保证|确保 ~ 通过|拿证`, `<num>天拿证`).
    ///
    /// Works on an array of scalars and slices of it (`~`, `|`, `<…>` and ASCII digits are
    /// all that matter): the real lexicon's ~3,000 alternatives are parsed at every start-up.
    public static func parsePattern(_ text: String, line: Int) -> Result<Pattern, PatternSyntaxError> {
        var terms: [[TermAlternative]] = []
        var gaps: [Gap] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0, termStart = 0
        func flushTerm(_ end: Int) -> String? {
            switch parseTerm(scalars[termStart..<end]) {
            case .success(let alternatives): terms.append(alternatives); return nil
            case .failure(let error): return error.message
            }
        }
        while index < scalars.count {
            guard scalars[index] == "~" else { index += 1; continue }
            if let message = flushTerm(index) { return .failure(PatternSyntaxError(message: message)) }
            var crosses = false, nextSentence = false
            index += 1
            if index < scalars.count, scalars[index] == "~" { crosses = true; index += 1 }
            if crosses, index < scalars.count, scalars[index] == "~" { nextSentence = true; index += 1 }
            var digits = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { digits.unicodeScalars.append(scalars[index]); index += 1 }
            let window = digits.isEmpty ? (nextSentence ? 30 : crosses ? 16 : 8) : (Int(digits) ?? Int.max)
            guard window <= 60 else { return .failure(PatternSyntaxError(message: "gap ~\(digits) is too wide (at most 60 characters)")) }
            gaps.append(Gap(window: window, crossesClauses: crosses, crossesSentence: nextSentence))
            termStart = index
        }
        if let message = flushTerm(scalars.count) { return .failure(PatternSyntaxError(message: message)) }
        return .success(Pattern(terms: terms, gaps: gaps, source: text, line: line))
    }

    /// Parses one term: alternatives separated by `|`, each a literal with an optional
    /// token (`<num>`, `<pct:90+>`) at its start or end.
    static func parseTerm(_ text: ArraySlice<Unicode.Scalar>) -> Result<[TermAlternative], PatternSyntaxError> {
        var alternatives: [TermAlternative] = []
        var pieceStart = text.startIndex
        for k in text.startIndex...text.endIndex where k == text.endIndex || text[k] == "|" {
            let raw = text[pieceStart..<k]
            pieceStart = k + 1
            var s = raw.trimmingSpaces()
            if s.isEmpty {
                let whole = text.trimmingSpaces()
                return .failure(PatternSyntaxError(message: whole.isEmpty ? "empty term (nothing before or after `~`)" : "empty alternative in `\(string(whole))`"))
            }
            var leading: PatternToken?
            var trailing: PatternToken?
            var leadingBound: ValueBound?, trailingBound: ValueBound?
            /// `num`, `pct`, or with a bound: `pct:90+` (at least), `num:1-7` (a range), `num:3` (exactly).
            func token(_ spec: String) -> Result<(PatternToken, ValueBound?), PatternSyntaxError> {
                let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                guard let token = PatternToken(rawValue: parts[0]) else {
                    return .failure(PatternSyntaxError(message: "unknown token <\(spec)> (known: <num>, <pct>, with an optional bound like <pct:90+> or <num:1-7>)"))
                }
                guard parts.count == 2 else { return .success((token, nil)) }
                guard let bound = ValueBound.parse(parts[1]) else {
                    return .failure(PatternSyntaxError(message: "bad bound in <\(spec)> (write a lower bound like <\(parts[0]):90+>, a range like <\(parts[0]):1-7> or a value like <\(parts[0]):3>)"))
                }
                return .success((token, bound))
            }
            if s.first == "<", let close = s.firstIndex(of: ">") {
                switch token(string(s[(s.startIndex + 1)..<close])) {
                case .failure(let e): return .failure(e)
                case .success(let (t, m)): leading = t; leadingBound = m
                }
                s = s[(close + 1)...]
            }
            if s.last == ">", let open = s.lastIndex(of: "<") {
                switch token(string(s[(open + 1)..<(s.endIndex - 1)])) {
                case .failure(let e): return .failure(e)
                case .success(let (t, m)): trailing = t; trailingBound = m
                }
                s = s[..<open]
            }
            if s.contains("<") || s.contains(">") { return .failure(PatternSyntaxError(message: "`\(string(raw.trimmingSpaces()))`: a token may only stand at the start or end of an alternative")) }
            let literal = string(s.filter { !isWhitespace($0) }[...])
            if literal.isEmpty && leading != nil && trailing != nil { return .failure(PatternSyntaxError(message: "`\(string(raw))`: two tokens with nothing between them")) }
            alternatives.append(TermAlternative(leading: leading, leadingMinimum: leadingBound?.minimum, literal: literal,
                                                trailing: trailing, trailingMinimum: trailingBound?.minimum,
                                                leadingMaximum: leadingBound?.maximum, trailingMaximum: trailingBound?.maximum))
        }
        return .success(alternatives)
    }

    /// The scalars as a String (through UTF-8 bytes: no String per scalar).
    static func string<S: Collection>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unicode's White_Space, answered without a property lookup for ASCII and CJK.
    @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s == " " || (0x09...0x0D).contains(s.value) }
        if s.value >= 0x3000 { return s.value == 0x3000 }
        return s.properties.isWhitespace
    }

    /// Splits a `a | b | c` list, trimming and dropping nothing silently.
    static func splitList(_ value: String) -> [String] {
        value.unicodeScalars.split(separator: "|", omittingEmptySubsequences: false).map { Substring($0).trimmingSpaces() }
    }
}

/// The mutable state of one parse: sections, values, errors.
struct ParseState {
    enum Section { case none, rule(Int), negation, exclusions }

    struct PendingRule {
        var id: String
        var location: SourceLocation
        var values: [String: [(String, Int)]] = [:]
    }

    var errors: [LexiconError] = []
    var pending: [PendingRule] = []
    var rules: [Rule] = []
    var negation = NegationCues()
    var globalExclusions: [String] = []
    var section: Section = .none
    var seenIDs: [String: SourceLocation] = [:]

    mutating func error(_ file: String, _ line: Int, _ message: String) {
        errors.append(LexiconError(file: file, line: line, message: message))
    }

    mutating func parseFile(file: String, text: String) {
        section = .none
        var lineNumber = 0
        // Lines as ranges of one scalar array (by scalar, not by Character: cheaper, and
        // "\r\n", one Character, still splits); a String only for lines that are not
        // blank or comments.
        let scalars = Array(text.unicodeScalars)
        var lineStart = 0
        while lineStart <= scalars.count {
            var lineEnd = lineStart
            while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
            var line = scalars[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            lineNumber += 1
            if line.last == "\r" { line = line.dropLast() }
            if lineNumber == 1, line.first == "\u{FEFF}" { line = line.dropFirst() }
            let trimmedScalars = line.trimmingSpaces()
            if trimmedScalars.isEmpty || trimmedScalars.first == "#" { continue }
            let trimmed = LexiconParser.string(trimmedScalars)
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else { error(file, lineNumber, "section header must end with `]`"); section = .none; continue }
                let inner = trimmed.dropFirst().dropLast().trimmingSpaces()
                if inner == "negation" { section = .negation; negation.location = SourceLocation(file: file, line: lineNumber); continue }
                if inner == "exclusions" { section = .exclusions; continue }
                let parts = inner.split(separator: " ", maxSplits: 1).map { $0.trimmingSpaces() }
                guard parts.count == 2, parts[0] == "rule" else {
                    error(file, lineNumber, "unknown section `[\(inner)]` (expected `[rule ID]`, `[negation]` or `[exclusions]`)")
                    section = .none
                    continue
                }
                let id = parts[1]
                let allowed = id.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-._".unicodeScalars.contains($0) }
                guard allowed, !id.isEmpty else { error(file, lineNumber, "rule id `\(id)` may only contain ASCII letters, digits, `-`, `_` and `.`"); section = .none; continue }
                let location = SourceLocation(file: file, line: lineNumber)
                if let previous = seenIDs[id] { error(file, lineNumber, "duplicate rule id `\(id)` (first defined at \(previous))") }
                seenIDs[id] = location
                pending.append(PendingRule(id: id, location: location))
                section = .rule(pending.count - 1)
                continue
            }
            guard let equals = trimmed.unicodeScalars.firstIndex(of: "=") else {
                error(file, lineNumber, "expected `key = value`, a `[section]` header or a `#` comment")
                continue
            }
            var key = trimmed[..<equals].trimmingSpaces().lowercased()
            // A cue limited to categories: `before[insider-claim, no-real-assessment]`.
            var scope: Set<Category>?
            if key.hasSuffix("]"), let open = key.firstIndex(of: "[") {
                let names = key[key.index(after: open)..<key.index(before: key.endIndex)]
                    .split(separator: ",").map { $0.trimmingSpaces() }
                key = key[..<open].trimmingSpaces()
                var categories: Set<Category> = []
                for name in names {
                    if let c = Category(rawValue: name) { categories.insert(c) } else {
                        error(file, lineNumber, "unknown category `\(name)` in `\(key)[…]` (known: \(Category.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                }
                guard case .negation = section, LexiconParser.scopableKeys.contains(key) else {
                    error(file, lineNumber, "a category list `[…]` is only allowed on the [negation] keys \(LexiconParser.scopableKeys.sorted().joined(separator: ", "))")
                    continue
                }
                guard !categories.isEmpty else { error(file, lineNumber, "`\(key)[]` names no category"); continue }
                scope = categories
            }
            let value = trimmed[trimmed.index(after: equals)...].trimmingSpaces()
            if value.isEmpty { error(file, lineNumber, "`\(key)` has no value"); continue }
            switch section {
            case .none:
                error(file, lineNumber, "`\(key)` outside any section (start a rule with `[rule ID]`)")
            case .exclusions:
                guard key == "exclude" else { error(file, lineNumber, "unknown key `\(key)` in [exclusions] (only `exclude`)"); continue }
                globalExclusions += list(value, file: file, line: lineNumber)
            case .negation:
                guard LexiconParser.negationKeys.contains(key) else {
                    error(file, lineNumber, "unknown key `\(key)` in [negation] (known: \(LexiconParser.negationKeys.sorted().joined(separator: ", ")))")
                    continue
                }
                // A cue with gaps (`绝不|从不 ~4 承诺`) takes the whole line: its `|` are its own.
                // Checked here, where the error can name its line.
                if value.unicodeScalars.contains("~"), !key.hasSuffix("-window") {
                    guard key == "before" || key == "after" || key == "report" else {
                        error(file, lineNumber, "`\(value)`: gaps (`~`) are only allowed in `before`, `after` and `report` cues")
                        continue
                    }
                    switch LexiconParser.parsePattern(value, line: lineNumber) {
                    case .failure(let why):
                        error(file, lineNumber, "cue `\(value)`: \(why.message)")
                        continue
                    case .success(let pattern):
                        if pattern.terms.joined().contains(where: { $0.leading != nil || $0.trailing != nil }) {
                            error(file, lineNumber, "cue `\(value)`: tokens are not allowed in cues")
                            continue
                        }
                    }
                }
                let cues = (key == "before" || key == "after" || key == "report") && value.unicodeScalars.contains("~") ? [value] : list(value, file: file, line: lineNumber)
                if let scope {
                    for cue in cues { negation.scopes[CueKey(kind: key, cue: cue), default: []].formUnion(scope) }
                }
                for cue in cues where negation.cueLocations[cue] == nil { negation.cueLocations[cue] = SourceLocation(file: file, line: lineNumber) }
                switch key {
                case "before": negation.before += cues
                case "after": negation.after += cues
                case "report": negation.reports += cues
                case "question": negation.questions += cues
                case "break": negation.breaks += cues
                case "exclude": negation.exclusions += cues
                case "mention": negation.mentions += cues
                case "answer": negation.answers += cues
                case "affirm": negation.affirms += cues
                case "asker": negation.askers += cues
                case "greeting": negation.greetings += cues
                case "advert": negation.adverts += cues
                case "before-window", "after-window":
                    guard let n = Int(value), (0...100).contains(n) else { error(file, lineNumber, "`\(key)` must be a whole number from 0 to 100"); continue }
                    if key == "before-window" { negation.beforeWindow = n } else { negation.afterWindow = n }
                default: break
                }
            case .rule(let index):
                guard LexiconParser.ruleKeys.contains(key) else {
                    error(file, lineNumber, "unknown key `\(key)` (known: \(LexiconParser.ruleKeys.sorted().joined(separator: ", ")))")
                    continue
                }
                if !LexiconParser.multiValued.contains(key), let first = pending[index].values[key]?.first {
                    error(file, lineNumber, "`\(key)` given twice in rule `\(pending[index].id)` (first at line \(first.1))")
                    continue
                }
                pending[index].values[key, default: []].append((value, lineNumber))
            }
        }
        // Build the rules of this file now, so errors carry this file's name.
        for p in pending { build(p, file: file) }
        pending.removeAll()
    }

    /// The items of a `a | b` list; an empty item is an error, never silently dropped.
    mutating func list(_ value: String, file: String, line: Int) -> [String] {
        var items: [String] = []
        for item in LexiconParser.splitList(value) {
            if item.isEmpty { error(file, line, "empty item in `|` list"); continue }
            items.append(item)
        }
        return items
    }

    mutating func build(_ p: PendingRule, file: String) {
        func single(_ key: String) -> (String, Int)? { p.values[key]?.first }
        var ok = true
        for key in ["category", "severity", "basis", "description"] where single(key) == nil {
            error(file, p.location.line, "rule `\(p.id)` has no `\(key)`"); ok = false
        }
        for key in ["pattern", "match", "nomatch"] where p.values[key] == nil {
            error(file, p.location.line, "rule `\(p.id)` has no `\(key)` (every rule needs patterns and examples that must match and must not match)"); ok = false
        }
        var category = Category.passGuarantee
        if let (value, line) = single("category") {
            if let c = Category(rawValue: value) { category = c } else {
                error(file, line, "unknown category `\(value)` (known: \(Category.allCases.map(\.rawValue).joined(separator: ", ")))"); ok = false
            }
        }
        var severity = Severity.medium
        if let (value, line) = single("severity") {
            if let s = Severity(rawValue: value), s != .critical { severity = s } else {
                error(file, line, "unknown severity `\(value)` (known: low, medium, high; critical is reserved for disguised findings)"); ok = false
            }
        }
        var negatable = true
        if let (value, line) = single("negatable") {
            switch value.lowercased() {
            case "yes", "true": negatable = true
            case "no", "false": negatable = false
            default: error(file, line, "`negatable` must be yes or no"); ok = false
            }
        }
        var patterns: [Pattern] = []
        for (value, line) in p.values["pattern"] ?? [] {
            switch LexiconParser.parsePattern(value, line: line) {
            case .success(let pattern): patterns.append(pattern)
            case .failure(let problem): error(file, line, "bad pattern: \(problem.message)"); ok = false
            }
        }
        var exclusions: [String] = []
        var exclusionLines: [Int] = []
        for (value, line) in p.values["exclude"] ?? [] {
            let items = list(value, file: file, line: line)
            exclusions += items
            exclusionLines += Array(repeating: line, count: items.count)
        }
        var unlessBefore: [String] = [], unlessAfter: [String] = []
        var unlessWindow = 6
        if let (value, line) = single("unless-window") {
            if let n = Int(value), (1...40).contains(n) { unlessWindow = n } else { error(file, line, "`unless-window` must be a whole number from 1 to 40"); ok = false }
        }
        var ratio: ValueBound?
        if let (value, line) = single("ratio") {
            if let bound = ValueBound.parse(value), bound.minimum.map({ (0...1).contains($0) }) ?? true, bound.maximum.map({ (0...1).contains($0) }) ?? true {
                ratio = bound
                // The ratio is read from two numbers of a match: every pattern needs two `<num>` terms.
                for pattern in patterns where pattern.terms.filter({ $0.contains { $0.leading == .number || $0.trailing == .number } }).count < 2 {
                    error(file, pattern.line, "rule `\(p.id)` has `ratio`, but this pattern has fewer than two terms with a <num> token"); ok = false
                }
            } else {
                error(file, line, "`ratio` must be a bound between 0 and 1, like 0.9+ or 0.8-1"); ok = false
            }
        }
        for (value, line) in p.values["unless-before"] ?? [] { unlessBefore += list(value, file: file, line: line) }
        for (value, line) in p.values["unless-after"] ?? [] { unlessAfter += list(value, file: file, line: line) }
        // `\n` in an example is a line break (a chat turn, a FAQ answer on the next line).
        let examples: (String) -> [RuleExample] = { key in
            (p.values[key] ?? []).map {
                RuleExample(text: $0.0.replacingOccurrences(of: "\\n", with: "\n"), location: SourceLocation(file: file, line: $0.1))
            }
        }
        guard ok else { return }
        var rule = Rule(
            id: p.id, category: category, severity: severity,
            basis: single("basis")!.0, description: single("description")!.0,
            patterns: patterns, exclusions: exclusions, exclusionLines: exclusionLines,
            mustMatch: examples("match"), mustNotMatch: examples("nomatch"),
            location: p.location, negatable: negatable
        )
        rule.unlessBefore = unlessBefore
        rule.unlessAfter = unlessAfter
        rule.unlessWindow = unlessWindow
        rule.ratio = ratio
        rules.append(rule)
    }

    mutating func finish() {}
}

/// A space or tab as Foundation's `.whitespaces` means it (Unicode category Zs and U+0009).
@inline(__always) func isSpaceOrTab(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x80 { return s == "\t" || s == " " }
    if s.value >= 0x3000 { return s.value == 0x3000 }
    return s.properties.generalCategory == .spaceSeparator
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (``isSpaceOrTab(_:)``), without
    /// Foundation's per-call cost: the lexicon parser trims every line and list item at every
    /// start-up.
    func trimmingSpaces() -> String {
        let view = unicodeScalars
        var start = view.startIndex, end = view.endIndex
        while start < end, isSpaceOrTab(view[start]) { start = view.index(after: start) }
        while start < end {
            let last = view.index(before: end)
            guard isSpaceOrTab(view[last]) else { break }
            end = last
        }
        return String(view[start..<end])
    }
}

extension ArraySlice<Unicode.Scalar> {
    /// The slice without leading and trailing spaces and tabs (``isSpaceOrTab(_:)``).
    func trimmingSpaces() -> ArraySlice<Unicode.Scalar> {
        var start = startIndex, end = endIndex
        while start < end, isSpaceOrTab(self[start]) { start += 1 }
        while start < end, isSpaceOrTab(self[end - 1]) { end -= 1 }
        return self[start..<end]
    }
}

extension String {
    /// See ``Substring/trimmingSpaces()``.
    func trimmingSpaces() -> String { self[...].trimmingSpaces() }
}
