import ArgumentParser
import ClaimCheck
import ClaimFetch
import ClaimText
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
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
        try validateMaxBodyBytes(maxBodyBytes)
        guard minSpeed >= 0, minSpeedTime >= 0 else { throw ValidationError("--min-speed and --min-speed-time must not be negative") }
        guard targets.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        // The lexicon loads (and compiles) on its own thread while the targets are read,
        // fetched and decoded; each check waits for it only to scan.
        let path = try lexiconOptions.lexicon ?? EarlyLexicon.defaultPath ?? lexiconOptions.path()
        let pending: PendingMatcher
        if let early = EarlyLexicon.pending, early.path == path, early.model == !lexiconOptions.noModel {
            pending = early.matcher
        } else {
            pending = LexiconOptions.pending(path: path, model: !lexiconOptions.noModel)
        }
        // One page: its matcher is compiled for its characters only — or, for a URL whose fetch
        // outlasts compiling the whole lexicon meanwhile, that one. Several: one for all.
        if targets.count > 1 {
            pending.compileForAllPages()
        } else if targets.count == 1, case .url = Checker.classify(targets[0]) {
            pending.compileInBackground()
        }
        var policy = FetchPolicy()
        policy.connectTimeout = connectTimeout
        policy.totalTimeout = timeout
        policy.lowSpeedLimit = minSpeed
        policy.lowSpeedTime = minSpeedTime
        policy.maxRedirects = maxRedirects
        policy.maxBodyBytes = maxBodyBytes
        policy.privateNetwork = allowPrivateNetwork ? .allowAll : .deny
        let checker = Checker(pending: pending, policy: policy)

        // Targets are checked two at a time at most (2 cores), results printed in order.
        let reports = ReportList(count: targets.count)
        let targets = self.targets, forceHTML = html
        DispatchQueue.concurrentPerform(iterations: targets.count) { i in
            guard !pending.hasFailed else { return }
            reports.set(i, checker.check(targets[i], forceHTML: forceHTML))
        }
        if let error = pending.error() { throw error }
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
