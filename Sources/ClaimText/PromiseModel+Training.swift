import Foundation

/// A labelled text to learn from: its runs as they would be scanned, its label and (for a
/// positive) its category.
public struct TrainingText: Sendable {
    public var runs: [TextRun]
    public var positive: Bool
    public var category: Category?

    public init(runs: [TextRun], positive: Bool, category: Category?) {
        self.runs = runs
        self.positive = positive
        self.category = category
    }
}

/// How a model is fitted. The defaults are the ones measured in sessions 11 to 13 (README). In
/// session 13 the features were scaled by their naive-Bayes ratios, which made the scores more
/// extreme and the model better at every false-positive rate (scikit-learn check: recall at 2%
/// 0.77 → 0.89 on the replay's texts); with it a larger table (2^16 → 2^18: the ratios need
/// fewer collisions), C 4 → 16, the flag threshold 0.75 → 0.65 and the veto 0.3 → 0.2 (at 0.3
/// it silenced long page texts whose passages mix a menu with the promise).
public struct TrainingOptions: Sendable {
    public var bits = 18
    public var categoryBits = 14
    /// Inverse strength of the L2 penalty (as scikit-learn's `C`): larger fits the texts closer.
    public var inverseRegularization: Float = 16
    public var iterations = 400
    public var learningRate: Float = 0.05
    public var flagThreshold = PromiseModel.defaultFlagThreshold
    public var vetoThreshold = PromiseModel.defaultVetoThreshold
    public var minimumCharacters = PromiseModel.defaultMinimumCharacters
    /// The sentence rules' thresholds, stored in the model (``PromiseModel/sentenceFlagThreshold`` …).
    public var sentenceFlagThreshold = PromiseModel.sentenceFlagThreshold
    public var sentenceCandidateThreshold = PromiseModel.sentenceCandidateThreshold
    public var sentenceVetoThreshold = PromiseModel.sentenceVetoThreshold
    /// ``PromiseModel/overrideFlagThreshold`` (measured: README, session 15).
    public var overrideFlagThreshold: Float? = 0.9
    /// The smoothing of the naive-Bayes feature scaling (NBSVM, Wang and Manning 2012): every
    /// feature is scaled by the log ratio of its frequencies among the promises and the
    /// innocent texts before the regression; 0 leaves the features unscaled.
    public var naiveBayesSmoothing: Float = 0.5
    public init() {}
}

extension PromiseModel {
    /// Fits the promise table (logistic regression, classes weighted to count equally) and the
    /// category tables (softmax over the positives' categories), each by full-batch Adam.
    /// Deterministic: the same texts in the same order give the same file.
    public static func train(_ texts: [TrainingText], options: TrainingOptions = .init(), trainedOn: String) -> PromiseModel {
        let runs = texts.map { $0.runs.filter { !$0.isEmpty }.map { NormalizedText($0).scalars } }
        let hashes = runs.map { runs in
            PromiseModel.hashes(PromiseModel.prepared(Array(runs.joined(separator: [" "]))[...]))
        }
        let labels = texts.map { Float($0.positive ? 1 : 0) }
        // First the whole texts; then again with their sentences (sentenceRows).
        let first = fitPromise(hashes, labels, options: options)
        let extra = sentenceRows(runs, positive: texts.map(\.positive), options: options) {
            PromiseModel.logit($0, weights: first.weights, bias: first.bias, bits: options.bits)
        }
        let (weights, bias) = fitPromise(hashes + extra.map(\.hashes), labels + extra.map { $0.positive ? 1 : 0 }, options: options)

        let categorized = texts.indices.filter { texts[$0].positive && texts[$0].category != nil }
        let categoryRows = SparseRows(categorized.map { PromiseModel.indices(hashes[$0], bits: options.categoryBits) })
        let classes = categorized.map { Category.allCases.firstIndex(of: texts[$0].category!)! }
        let (categoryWeights, categoryBias) = fitSoftmax(categoryRows, classes: classes, classCount: Category.allCases.count,
                                                         width: 1 << options.categoryBits, options: options)
        return PromiseModel(bits: options.bits, weights: weights, bias: bias,
                            categoryBits: options.categoryBits, categoryWeights: categoryWeights, categoryBias: categoryBias,
                            flagThreshold: options.flagThreshold, vetoThreshold: options.vetoThreshold,
                            minimumCharacters: options.minimumCharacters, trainedOn: trainedOn,
                            sentenceFlagThreshold: options.sentenceFlagThreshold,
                            sentenceCandidateThreshold: options.sentenceCandidateThreshold,
                            sentenceVetoThreshold: options.sentenceVetoThreshold,
                            overrideFlagThreshold: options.overrideFlagThreshold)
    }

    /// The promise table fitted to some rows, the classes weighted to count equally.
    static func fitPromise(_ rows: [[UInt32]], _ labels: [Float], options: TrainingOptions) -> (weights: [Float], bias: Float) {
        let promise = SparseRows(rows.map { PromiseModel.indices($0, bits: options.bits) })
        let positives = labels.reduce(0, +), negatives = Float(labels.count) - positives
        // Balanced class weights: n / (2 · n_class).
        let classWeight = (pos: positives > 0 ? Float(labels.count) / (2 * positives) : 0,
                           neg: negatives > 0 ? Float(labels.count) / (2 * negatives) : 0)
        let scales = options.naiveBayesSmoothing > 0
            ? naiveBayesRatios(promise, labels: labels, width: 1 << options.bits, smoothing: options.naiveBayesSmoothing) : nil
        return fitLogistic(promise, labels: labels,
                           sampleWeights: labels.map { $0 > 0 ? classWeight.pos : classWeight.neg },
                           width: 1 << options.bits, featureScales: scales, options: options)
    }

    /// For every table index, log((p / |p|) / (q / |q|)), where p and q count the promise and
    /// the innocent rows that have the feature, each plus `smoothing`.
    static func naiveBayesRatios(_ rows: SparseRows, labels: [Float], width: Int, smoothing: Float) -> [Float] {
        var p = [Double](repeating: Double(smoothing), count: width), q = p
        for r in 0..<rows.count {
            for k in rows.starts[r]..<rows.starts[r + 1] {
                if labels[r] > 0 { p[Int(rows.indices[k])] += 1 } else { q[Int(rows.indices[k])] += 1 }
            }
        }
        let pTotal = p.reduce(0, +), qTotal = q.reduce(0, +)
        return (0..<width).map { Float(log((p[$0] / pTotal) / (q[$0] / qTotal))) }
    }

    /// The sentences (``PromiseModel/sentenceUnits(_:minimumContent:)``, within each block of
    /// each run, as a scan reads them) of texts that have two or more, as extra training rows:
    /// every sentence of an innocent text is innocent; of a promise, the one sentence a first
    /// fit scores highest (`logit`) is the promise — the other sentences of a promise (an
    /// address, a timetable) are left out, as they are neither. Why (session 12): a scan
    /// reads sentences too (the veto's sentence, the flag of a promising sentence, a long
    /// passage's check) and pages in windows of a few sentences; trained on whole texts only,
    /// the model learned a promise's whole text, its honest sentences included. On the
    /// session-9 replay this took recall from 0.920 to 0.936 with the false-positive rate
    /// 0.023 → 0.022 (README).
    static func sentenceRows(_ texts: [[[Unicode.Scalar]]], positive: [Bool], options: TrainingOptions,
                             logit: ([UInt32]) -> Float) -> [(hashes: [UInt32], positive: Bool)] {
        var out: [(hashes: [UInt32], positive: Bool)] = []
        let minimumContent = (options.minimumCharacters + 1) / 2
        for (t, runs) in texts.enumerated() {
            var sentences: [[UInt32]] = []
            for run in runs {
                // Blocks, as passages are: a sentence never crosses one.
                var blockStart = 0
                for i in 0...run.count where i == run.count || PromiseModel.endsBlock(run[i]) {
                    let block = run[blockStart..<i]
                    blockStart = i + 1
                    guard block.contains(where: PromiseModel.isContent) else { continue }
                    for unit in PromiseModel.sentenceUnits(block, minimumContent: minimumContent)
                    where PromiseModel.contentCount(run[unit]) >= minimumContent {
                        sentences.append(PromiseModel.hashes(PromiseModel.prepared(run[unit])))
                    }
                }
            }
            guard sentences.count >= 2 else { continue }
            if positive[t] {
                // The first of the highest, for determinism.
                var best = 0, bestLogit = logit(sentences[0])
                for k in 1..<sentences.count {
                    let l = logit(sentences[k])
                    if l > bestLogit { best = k; bestLogit = l }
                }
                out.append((sentences[best], true))
            } else {
                out += sentences.map { ($0, false) }
            }
        }
        return out
    }

    /// Feature rows: each row's table indices, every present feature valued 1/√(count).
    struct SparseRows {
        var indices: [Int32] = []
        var starts: [Int] = [0]
        var scales: [Float] = []
        init(_ rows: [[Int]]) {
            for row in rows {
                indices += row.map(Int32.init)
                starts.append(indices.count)
                scales.append(1 / Float(max(1, row.count)).squareRoot())
            }
        }
        var count: Int { scales.count }
    }

    /// Adam's state for one vector of parameters.
    struct Adam {
        var m: [Float], v: [Float]
        var step = 0
        init(count: Int) { m = .init(repeating: 0, count: count); v = .init(repeating: 0, count: count) }
        mutating func update(_ params: inout [Float], _ gradient: [Float], rate: Float) {
            step += 1
            let (b1, b2): (Float, Float) = (0.9, 0.999)
            let c1 = 1 - Float(pow(Double(b1), Double(step))), c2 = 1 - Float(pow(Double(b2), Double(step)))
            for i in params.indices {
                m[i] = b1 * m[i] + (1 - b1) * gradient[i]
                v[i] = b2 * v[i] + (1 - b2) * gradient[i] * gradient[i]
                params[i] -= rate * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
            }
        }
    }

    /// Logistic regression on the rows, each feature also scaled by `featureScales` if given;
    /// the weights returned have the scales folded in (a feature's weight times its scale), so
    /// that a scan scores as without them.
    static func fitLogistic(_ rows: SparseRows, labels: [Float], sampleWeights: [Float], width: Int,
                            featureScales: [Float]? = nil, options: TrainingOptions) -> (weights: [Float], bias: Float) {
        let scale = featureScales ?? [Float](repeating: 1, count: width)
        var params = [Float](repeating: 0, count: width + 1)   // weights, then the bias
        var adam = Adam(count: width + 1)
        let penalty = 1 / options.inverseRegularization
        for _ in 0..<options.iterations {
            var gradient = [Float](repeating: 0, count: width + 1)
            for i in 0..<(width) { gradient[i] = penalty * params[i] }
            for r in 0..<rows.count {
                let range = rows.starts[r]..<rows.starts[r + 1]
                var z = params[width]
                for k in range { let i = Int(rows.indices[k]); z += params[i] * scale[i] * rows.scales[r] }
                let error = sampleWeights[r] * (sigmoid(z) - labels[r])
                gradient[width] += error
                let g = error * rows.scales[r]
                for k in range { let i = Int(rows.indices[k]); gradient[i] += g * scale[i] }
            }
            adam.update(&params, gradient, rate: options.learningRate)
        }
        return ((0..<width).map { params[$0] * scale[$0] }, params[width])
    }

    static func fitSoftmax(_ rows: SparseRows, classes: [Int], classCount: Int, width: Int,
                           options: TrainingOptions) -> (weights: [Float], bias: [Float]) {
        let size = classCount * width
        var params = [Float](repeating: 0, count: size + classCount)   // class-major weights, then biases
        guard rows.count > 0 else { return (Array(params[0..<size]), Array(params[size...])) }
        var adam = Adam(count: params.count)
        let penalty = 1 / options.inverseRegularization
        var logits = [Float](repeating: 0, count: classCount)
        for _ in 0..<options.iterations {
            var gradient = [Float](repeating: 0, count: params.count)
            for i in 0..<size { gradient[i] = penalty * params[i] }
            for r in 0..<rows.count {
                let range = rows.starts[r]..<rows.starts[r + 1]
                for c in 0..<classCount {
                    var z = params[size + c]
                    let base = c * width
                    for k in range { z += params[base + Int(rows.indices[k])] * rows.scales[r] }
                    logits[c] = z
                }
                let top = logits.max()!
                var total: Float = 0
                for c in 0..<classCount { logits[c] = exp(logits[c] - top); total += logits[c] }
                for c in 0..<classCount {
                    let error = logits[c] / total - (c == classes[r] ? 1 : 0)
                    gradient[size + c] += error
                    let g = error * rows.scales[r], base = c * width
                    for k in range { gradient[base + Int(rows.indices[k])] += g }
                }
            }
            adam.update(&params, gradient, rate: options.learningRate)
        }
        return (Array(params[0..<size]), Array(params[size...]))
    }
}
