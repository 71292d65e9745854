import ClaimText
import Foundation

/// Fitting the promise model on labelled corpora, and measuring it honestly: leave one
/// corpus out, fit on the rest, evaluate the rules with and without the fitted model on the
/// corpus it never saw (each corpus of `fixtures/eval` was written by a different hand).
public enum ModelTraining {
    /// The texts of labelled corpora as the model learns them (read like `eval` reads them).
    public static func texts(_ items: [LabelledText]) -> [TrainingText] {
        items.map { TrainingText(runs: Evaluation.runs(of: $0.text), positive: $0.positive, category: Category(rawValue: $0.category)) }
    }

    /// One fold of a cross-validation: a corpus, and the counts on it.
    public struct Fold: Sendable {
        public var file: String
        public var rulesOnly: Evaluation.Counts
        public var withModel: Evaluation.Counts
    }

    /// Leave-one-corpus-out: for every corpus in `heldOut`, a model fitted on all the other
    /// corpora (`corpora` minus that one) is evaluated on it beside the rules alone.
    public static func crossValidate(corpora: [(file: String, items: [LabelledText])], heldOut: [String],
                                     lexicon: Lexicon, options: TrainingOptions) throws -> [Fold] {
        var rules = lexicon
        rules.model = nil
        let rulesMatcher = try Matcher(lexicon: rules)
        var folds: [Fold] = []
        for file in heldOut {
            guard let test = corpora.first(where: { $0.file == file }) else { continue }
            let training = corpora.filter { $0.file != file }.flatMap { texts($0.items) }
            var withModel = lexicon
            withModel.model = PromiseModel.train(training, options: options, trainedOn: "all but \(file)")
            let modelMatcher = try Matcher(lexicon: withModel)
            folds.append(Fold(file: file, rulesOnly: Evaluation(matcher: rulesMatcher, items: test.items).overall,
                              withModel: Evaluation(matcher: modelMatcher, items: test.items).overall))
        }
        return folds
    }
}
