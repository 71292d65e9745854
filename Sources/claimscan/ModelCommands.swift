import ArgumentParser
import ClaimCheck
import ClaimText
import Foundation

/// `claimscan model`: fit the promise model, and measure it by leaving corpora out.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fit and measure the promise model (promise.model in the lexicon folder).",
        subcommands: [Train.self, CrossValidate.self, Score.self])

    struct FitOptions: ParsableArguments {
        @Option(name: .long, help: "Full-batch Adam iterations.") var iterations = TrainingOptions().iterations
        @Option(name: .long, help: "Inverse L2 strength (as scikit-learn's C).") var c: Float = TrainingOptions().inverseRegularization
        @Option(name: .long, help: "Score from which a passage no rule matched is flagged.") var flag: Float = TrainingOptions().flagThreshold
        @Option(name: .long, help: "Score below which a rule finding's passage vetoes it.") var veto: Float = TrainingOptions().vetoThreshold
        @Option(name: .long, help: "Passages with fewer Han characters, letters and digits are not read.")
        var minimumCharacters = TrainingOptions().minimumCharacters
        @Option(name: .long, help: "Smoothing of the naive-Bayes feature scaling (0: none).") var naiveBayes: Float = TrainingOptions().naiveBayesSmoothing
        @Option(name: .long, help: "log2 of the promise table's size.") var bits = TrainingOptions().bits
        @Option(name: .long, help: "Score from which a sentence of a middling passage is flagged by itself.")
        var sentenceFlag: Float = TrainingOptions().sentenceFlagThreshold
        @Option(name: .long, help: "Score from which a passage's sentences are read one by one (and a flagged passage needs one).")
        var sentenceCandidate: Float = TrainingOptions().sentenceCandidateThreshold
        @Option(name: .long, help: "Score below which a vetoed finding's own sentence must be too.")
        var sentenceVeto: Float = TrainingOptions().sentenceVetoThreshold
        @Option(name: .long, help: "Score from which a passage whose rule matches a cue suppressed (negation, question, reported speech) is flagged (`none`: never).")
        var overrideFlag: String = TrainingOptions().overrideFlagThreshold.map { "\($0)" } ?? "none"

        var options: TrainingOptions {
            var o = TrainingOptions()
            o.iterations = iterations
            o.inverseRegularization = c
            o.flagThreshold = flag
            o.vetoThreshold = veto
            o.minimumCharacters = minimumCharacters
            o.naiveBayesSmoothing = naiveBayes
            o.bits = bits
            o.sentenceFlagThreshold = sentenceFlag
            o.sentenceCandidateThreshold = sentenceCandidate
            o.sentenceVetoThreshold = sentenceVeto
            o.overrideFlagThreshold = overrideFlag == "none" ? nil : Float(overrideFlag)
            return o
        }

        func validate() throws {
            guard iterations > 0, c > 0 else { throw ValidationError("--iterations and --c must be positive") }
            guard (1...1000).contains(minimumCharacters) else { throw ValidationError("--minimum-characters must lie from 1 to 1000") }
            guard (8...24).contains(bits) else { throw ValidationError("--bits must lie from 8 to 24") }
            guard naiveBayes >= 0, naiveBayes.isFinite else { throw ValidationError("--naive-bayes must be 0 (no scaling) or positive") }
            guard [sentenceFlag, sentenceCandidate, sentenceVeto].allSatisfy({ (0...1).contains($0) }) else {
                throw ValidationError("--sentence-flag, --sentence-candidate and --sentence-veto must lie from 0 to 1")
            }
            guard overrideFlag == "none" || Float(overrideFlag).map({ (0...1).contains($0) }) == true else {
                throw ValidationError("--override-flag must lie from 0 to 1, or be `none`")
            }
            guard (0...1).contains(flag), (0...1).contains(veto), veto <= flag else {
                throw ValidationError("--flag and --veto must lie from 0 to 1, the veto not above the flag")
            }
        }
    }

    static func read(_ files: [String]) throws -> [(file: String, items: [LabelledText])] {
        var corpora: [(file: String, items: [LabelledText])] = []
        for file in files {
            do { corpora.append((file, try Evaluation.load(path: file))) } catch { throw Failure(status: 2, message: error.description) }
        }
        return corpora
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train", abstract: "Fit the model on labelled JSON Lines files and write it.")
        @Argument(help: "Labelled JSON Lines files (as for eval).") var files: [String]
        @Option(name: .long, help: "Where to write the model (e.g. lexicons/promise.model).") var out: String
        @OptionGroup var fit: FitOptions

        func run() throws {
            let corpora = try ModelCommand.read(files)
            let texts = corpora.flatMap { ModelTraining.texts($0.items) }
            let names = files.map { ($0 as NSString).lastPathComponent }
            let model = PromiseModel.train(texts, options: fit.options,
                                           trainedOn: "\(texts.count) texts (\(texts.filter(\.positive).count) positive): \(names.joined(separator: " "))")
            do { try model.write(to: out) } catch { throw Failure(status: 2, message: error.description) }
            print("wrote \(out): \(texts.count) texts, \(model.weights.count) + \(model.categoryWeights.count) weights")
        }
    }

    struct CrossValidate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cv",
            abstract: "Leave each --test corpus out, fit on all the others, compare the rules alone with rules + model on it.")
        @Argument(help: "Every labelled corpus (training and test).") var files: [String]
        @Option(name: .long, parsing: .upToNextOption, help: "The corpora to hold out, one at a time (default: every file).") var test: [String] = []
        @OptionGroup var lexiconOptions: LexiconOptions
        @OptionGroup var fit: FitOptions

        func validate() throws {
            if lexiconOptions.noModel { throw ValidationError("model cv fits its own models; --no-model does not apply") }
        }

        func run() throws {
            let corpora = try ModelCommand.read(files)
            let lexicon = try LexiconOptions.load(path: try lexiconOptions.path(), model: false)
            let folds = try ModelTraining.crossValidate(corpora: corpora, heldOut: test.isEmpty ? files : test,
                                                        lexicon: lexicon, options: fit.options)
            func line(_ name: String, _ a: Evaluation.Counts, _ b: Evaluation.Counts) -> String {
                func f(_ c: Evaluation.Counts) -> String {
                    String(format: "%.3f %.3f %.3f", c.precision ?? 0, c.recall ?? 0, c.falsePositiveRate ?? 0)
                }
                return name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  \(f(a))   \(f(b))"
            }
            print("held-out corpus           rules alone (P R FP)   rules + model (P R FP)")
            var totalRules = Evaluation.Counts(), totalModel = Evaluation.Counts()
            for fold in folds {
                print(line((fold.file as NSString).lastPathComponent, fold.rulesOnly, fold.withModel))
                totalRules.merge(fold.rulesOnly); totalModel.merge(fold.withModel)
            }
            print(line("all held out", totalRules, totalModel))
        }
    }

    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score", abstract: "Print the model's reading of texts: each passage's score, category, strongest words and text (tab-separated).")
        @Argument(help: "Texts to read; with none, every line of standard input.") var texts: [String] = []
        @OptionGroup var lexiconOptions: LexiconOptions

        func validate() throws {
            if lexiconOptions.noModel { throw ValidationError("model score reads the model; --no-model does not apply") }
        }

        func run() throws {
            let lexicon = try LexiconOptions.load(path: try lexiconOptions.path())
            guard lexicon.model != nil else {
                throw Failure(status: 2, message: "\(try lexiconOptions.path()) has no \(PromiseModel.fileName)")
            }
            // Compiled for its asker labels: the scan's reading of chats (session 16).
            let matcher = try LexiconOptions.compile(lexicon.withoutExamples(), alphabet: nil)
            var inputs = texts
            if inputs.isEmpty { while let line = readLine() { if !line.isEmpty { inputs.append(line) } } }
            for text in inputs {
                for reading in matcher.modelReadings(of: Evaluation.runs(of: text)) ?? [] {
                    var line = String(format: "%.3f", reading.score) + "\t\(reading.category.rawValue)\t\(reading.cues.joined(separator: " "))\t\(reading.text)"
                    if let note = reading.scanNote { line += "\t(\(note))" }
                    print(line)
                }
            }
        }
    }
}
