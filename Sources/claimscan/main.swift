import ArgumentParser
import ClaimCheck
import ClaimFetch
import ClaimText
import Foundation

/// claimscan — finds false promises (包过, 保证拿证, 不过退费 …) in the
/// advertising of vocational skills-certification agencies.
struct Claimscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimscan",
        abstract: "Find false promises (包过, 保证拿证, 不过退费 …) in skills-certification advertising.",
        discussion: """
        Exit status: 0 nothing found; 1 findings; 2 usage or lexicon error; \
        3 nothing found but some target could not be read.
        """,
        version: Fetcher.version,
        subcommands: [Check.self, LexiconCommand.self, Eval.self, Bench.self]
    )
}

/// Options shared by every command that loads the lexicon.
struct LexiconOptions: ParsableArguments {
    @Option(name: .long, help: "Rule file or folder of *.rules files (default: the bundled lexicons/).")
    var lexicon: String?

    func load() throws -> Matcher {
        guard let path = lexicon ?? LexiconLocator.defaultPath() else {
            throw Failure(status: 2, message: "cannot find the default lexicon; pass --lexicon PATH or set CLAIMSCAN_LEXICON")
        }
        do {
            let parsed = try LexiconParser.load(path: path)
            return try Matcher(lexicon: parsed)
        } catch {
            throw Failure(status: 2, message: error.description)
        }
    }
}

/// An error that carries its exit status and is printed as it is.
struct Failure: Error, CustomStringConvertible {
    var status: Int32
    var message: String
    var description: String { message }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check URLs, files or standard input (-) for banned promises.",
        discussion: """
        A TARGET is an http(s) URL, a local file (.html/.htm parsed as HTML, anything else as text) \
        or - for standard input. Findings show the words exactly as on the page, the rule, category, \
        severity, legal basis and where they were.
        """
    )

    @Argument(help: "URLs, files, or - for standard input.")
    var targets: [String]

    @OptionGroup var lexiconOptions: LexiconOptions

    @Flag(name: .long, help: "JSON Lines: one object per target.")
    var json = false

    @Flag(name: .long, help: "Also show matches that were suppressed (negation, exclusions) and why.")
    var showSuppressed = false

    @Flag(name: .long, help: "Parse files and standard input as HTML whatever their name.")
    var html = false

    @Flag(name: .long, help: "No colour, even on a terminal (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(name: .long, help: "Allow loopback, private and link-local addresses (tests, demos, intranets).")
    var allowPrivateNetwork = false

    @Option(name: .long, help: "Connect timeout in seconds.")
    var connectTimeout: Double = 10

    @Option(name: .long, help: "Whole-transfer timeout in seconds (per redirect hop).")
    var timeout: Double = 30

    @Option(name: .long, help: "Abort a transfer slower than this many bytes per second ...")
    var minSpeed: Int = 1024

    @Option(name: .long, help: "... for this many seconds.")
    var minSpeedTime: Int = 15

    @Option(name: .long, help: "Maximum number of redirects to follow.")
    var maxRedirects: Int = 5

    @Option(name: .long, help: "Largest body (after decompression) or file read, in bytes.")
    var maxBodyBytes: Int = 10 * 1024 * 1024

    func validate() throws {
        guard connectTimeout > 0, timeout > 0 else { throw ValidationError("timeouts must be positive") }
        guard maxRedirects >= 0, maxRedirects <= 50 else { throw ValidationError("--max-redirects must be 0…50") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard minSpeed >= 0, minSpeedTime >= 0 else { throw ValidationError("--min-speed and --min-speed-time must not be negative") }
        guard targets.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let matcher = try lexiconOptions.load()
        var policy = FetchPolicy()
        policy.connectTimeout = connectTimeout
        policy.totalTimeout = timeout
        policy.lowSpeedLimit = minSpeed
        policy.lowSpeedTime = minSpeedTime
        policy.maxRedirects = maxRedirects
        policy.maxBodyBytes = maxBodyBytes
        policy.privateNetwork = allowPrivateNetwork ? .allowAll : .deny
        let checker = Checker(matcher: matcher, policy: policy)

        // Targets are checked two at a time at most (2 cores), results printed in order.
        let reports = ReportList(count: targets.count)
        let targets = self.targets, forceHTML = html
        DispatchQueue.concurrentPerform(iterations: targets.count) { i in
            reports.set(i, checker.check(targets[i], forceHTML: forceHTML))
        }
        let all = reports.all
        let human = HumanReport(color: !noColor && HumanReport.wantsColor(), showSuppressed: showSuppressed)
        for report in all {
            print(json ? report.jsonLine() : human.render(report))
        }
        if !json { print(CheckExit.summary(all)) }
        let status = CheckExit.status(for: all)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Collects reports from concurrent checks.
final class ReportList: @unchecked Sendable {
    private var items: [TargetReport?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: TargetReport) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [TargetReport] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
}

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "List, test and lint the rule files.",
        subcommands: [List.self, Test.self, Lint.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the rules.")
        @OptionGroup var lexiconOptions: LexiconOptions
        @Flag(name: .long, help: "JSON Lines, one rule per line.") var json = false

        func run() throws {
            let matcher = try lexiconOptions.load()
            for rule in matcher.lexicon.rules {
                if json {
                    var o = JSONObject()
                    o["id"] = .string(rule.id)
                    o["category"] = .string(rule.category.rawValue)
                    o["severity"] = .string(rule.severity.rawValue)
                    o["basis"] = .string(rule.basis)
                    o["description"] = .string(rule.description)
                    o["patterns"] = .array(rule.patterns.map { .string($0.source) })
                    o["exclusions"] = .array(rule.exclusions.map(JSONValue.string))
                    o["examples"] = .int(rule.mustMatch.count + rule.mustNotMatch.count)
                    o["defined_at"] = .string(rule.location.description)
                    print(JSONValue.object(o).serialized)
                } else {
                    print("\(rule.id)  [\(rule.severity.rawValue)] \(rule.category.rawValue) \(rule.category.chineseName)")
                    print("    \(rule.description)")
                    print("    patterns: \(rule.patterns.map(\.source).joined(separator: "  ·  "))")
                    if !rule.exclusions.isEmpty { print("    exclusions: \(rule.exclusions.joined(separator: " | "))") }
                    print("    basis: \(rule.basis)")
                }
            }
            if !json {
                let rules = matcher.lexicon.rules
                let categories = Set(rules.map(\.category)).count
                print("\n\(rules.count) rules in \(categories) categories, \(matcher.literalCount) literals compiled (with pinyin spellings), from \(matcher.lexicon.files.count) files")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every rule's must-match and must-not-match examples.")
        @OptionGroup var lexiconOptions: LexiconOptions

        func run() throws {
            let matcher = try lexiconOptions.load()
            let (passed, failures) = matcher.testExamples()
            for failure in failures { print("FAIL \(failure)") }
            print("\(passed) passed, \(failures.count) failed")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find risky rules: short phrases, shadowed rules, exclusions that never apply, contradicting examples.")
        @OptionGroup var lexiconOptions: LexiconOptions

        func run() throws {
            let matcher = try lexiconOptions.load()
            let warnings = matcher.lint()
            for w in warnings { print("warning: \(w)") }
            print("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
            if !warnings.isEmpty { throw ExitCode(1) }
        }
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure precision, recall and false-positive rate on labelled texts (JSON Lines).",
        discussion: "Each line: {\"text\": ..., \"label\": 1|0, \"category\": ..., \"disguised\": true|false}."
    )
    @Argument(help: "Labelled JSON Lines files.") var files: [String]
    @OptionGroup var lexiconOptions: LexiconOptions
    @Flag(name: .long, help: "Only the numbers, not the misses and false alarms.") var quiet = false
    @Option(name: .long, help: "Exit 1 if overall recall is below this.") var minRecall: Double?
    @Option(name: .long, help: "Exit 1 if the false-positive rate is above this.") var maxFpr: Double?

    func run() throws {
        let matcher = try lexiconOptions.load()
        var items: [LabelledText] = []
        for file in files {
            do { items += try Evaluation.load(path: file) } catch { throw Failure(status: 2, message: error.description) }
        }
        let evaluation = Evaluation(matcher: matcher, items: items)
        print(evaluation.report(listErrors: !quiet), terminator: "")
        var failed = false
        if let minRecall, let r = evaluation.overall.recall, r < minRecall { print("recall \(r) is below \(minRecall)"); failed = true }
        if let maxFpr, let f = evaluation.overall.falsePositiveRate, f > maxFpr { print("false-positive rate \(f) is above \(maxFpr)"); failed = true }
        if failed { throw ExitCode(1) }
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the text pipeline (decode, extract, match) on local HTML files; prints medians.")
    @Argument(help: "HTML files to process (read into memory first).") var files: [String]
    @OptionGroup var lexiconOptions: LexiconOptions
    @Option(name: .customLong("repeat"), help: "Repetitions (the median is reported).") var repetitions: Int = 7

    func run() throws {
        let clock = ContinuousClock()
        let t0 = clock.now
        _ = CharTable.shared
        let t1 = clock.now
        let matcher = try lexiconOptions.load()
        let t2 = clock.now
        print("start-up: character tables \(t1 - t0), lexicon load and compile \(t2 - t1)")
        var pages: [[UInt8]] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure(status: 2, message: "cannot read \(file)") }
            pages.append([UInt8](data))
        }
        print("lexicon: \(matcher.lexicon.rules.count) rules, \(matcher.literalCount) compiled literals")
        print(PipelineBenchmark(matcher: matcher, pages: pages, repetitions: max(1, repetitions)).report(), terminator: "")
    }
}

// Exit statuses are part of the interface: usage errors are 2 (not
// ArgumentParser's 64), help and version are 0.
do {
    var command = try Claimscan.parseAsRoot()
    try command.run()
} catch let failure as Failure {
    FileHandle.standardError.write(Data("claimscan: \(failure.message)\n".utf8))
    exit(failure.status)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = Claimscan.exitCode(for: error)
    if status == .success {
        print(Claimscan.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((Claimscan.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
