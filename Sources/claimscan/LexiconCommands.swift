import ArgumentParser
import ClaimCheck
import ClaimFetch
import ClaimScan
import ClaimText
import Foundation

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "List, test and lint the rule files.",
        subcommands: [List.self, Test.self, Lint.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the rules.")
        @OptionGroup var lexiconOptions: LexiconOptions
        @Flag(name: .long, help: "JSON Lines, one rule per line.") var json = false

        func run() throws {
            let matcher = try lexiconOptions.load(model: false)
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
                print("\n\(rules.count) rules in \(categories) categories, \(matcher.literalCount) literals compiled (\(matcher.spelledPhraseCount) phrases also matched in pinyin), from \(matcher.lexicon.files.count) files")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Run every rule's must-match and must-not-match examples.")
        @OptionGroup var lexiconOptions: LexiconOptions

        func run() throws {
            let matcher = try lexiconOptions.load(model: false)
            let (passed, failures) = matcher.testExamples()
            for failure in failures { print("FAIL \(failure)") }
            print("\(passed) passed, \(failures.count) failed")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Find risky rules: short phrases, shadowed rules, exclusions that never apply, contradicting examples.")
        @OptionGroup var lexiconOptions: LexiconOptions

        func run() throws {
            let matcher = try lexiconOptions.load(model: false)
            let warnings = matcher.lint()
            for w in warnings { print("warning: \(w)") }
            print("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
            if !warnings.isEmpty { throw ExitCode(1) }
        }
    }
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure precision, recall and false-positive rate on labelled texts (JSON Lines).",
        discussion: "Each line: {\"text\": ..., \"label\": 1|0, \"category\": ..., \"disguised\": true|false}."
    )
    @Argument(help: "Labelled JSON Lines files.") var files: [String]
    @OptionGroup var lexiconOptions: LexiconOptions
    @Flag(name: .long, help: "Only the numbers, not the misses and false alarms.") var quiet = false
    @Option(name: .long, help: "Exit 1 if overall recall is below this.") var minRecall: Double?
    @Option(name: .long, help: "Exit 1 if the false-positive rate is above this.") var maxFpr: Double?

    func run() throws {
        MallocPolicy.applyForThroughput()
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
        commandName: "bench",
        abstract: "Time the text pipeline (decode, extract, match) on local HTML files; prints medians.")
    @Argument(help: "HTML files to process (streamed: one page in memory at a time).") var files: [String]
    @OptionGroup var lexiconOptions: LexiconOptions
    @Option(name: .customLong("repeat"), help: "Repetitions (the median is reported).") var repetitions: Int = 7

    func run() throws {
        MallocPolicy.applyForThroughput()
        let clock = ContinuousClock()
        let t0 = clock.now
        _ = CharTable.shared
        let t1 = clock.now
        let matcher = try lexiconOptions.load()
        let t2 = clock.now
        print("start-up: character tables \(t1 - t0), lexicon load and compile \(t2 - t1)")
        print("lexicon: \(matcher.lexicon.rules.count) rules, \(matcher.literalCount) compiled literals")
        do {
            print(try PipelineBenchmark(matcher: matcher, files: files, repetitions: max(1, repetitions)).report(), terminator: "")
        } catch {
            throw Failure(status: 2, message: error.description)
        }
    }
}
