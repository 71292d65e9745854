import ClaimPage
import ClaimText
import Foundation

/// A file the benchmark could not read.
public struct BenchmarkInputError: Error, CustomStringConvertible { public var description: String }

/// Times claimscan's text pipeline stage by stage (charset decision and
/// decoding, visible-text extraction, normalization + matching + context
/// rules) over pages already in memory. Used by `claimscan bench`; a
/// measurement tool, never a test.
public struct PipelineBenchmark {
    public struct Stage: Sendable {
        public var name: String
        /// Seconds per repetition, one entry per repetition.
        public var samples: [Double]
        public var median: Double { let s = samples.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
    }

    public var stages: [Stage] = []
    public var bytes: Int = 0
    public var pages: Int = 0
    public var findings: Int = 0
    /// Visible text handed to the matcher: runs and characters (scalars).
    public var runs: Int = 0
    public var characters: Int = 0

    /// Streams the files: each is read (untimed), decoded, extracted and matched,
    /// then dropped, so memory does not grow with the corpus.
    public init(matcher: Matcher, files: [String], repetitions: Int) throws(BenchmarkInputError) {
        pages = files.count
        var decode = Stage(name: "decode (charset + ICU)", samples: [])
        var extract = Stage(name: "extract visible text", samples: [])
        var match = Stage(name: matcher.lexicon.model == nil ? "normalize + match + rules" : "match + rules + model", samples: [])
        var total = Stage(name: "total", samples: [])
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        for repetition in 0..<repetitions {
            var tDecode = 0.0, tExtract = 0.0, tMatch = 0.0, found = 0, byteTotal = 0
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { throw BenchmarkInputError(description: "cannot read \(file)") }
                guard data.count <= DecodedPage.maxBytes else { throw BenchmarkInputError(description: "\(file) is over 2 GiB") }
                let bytes = [UInt8](data)
                byteTotal += bytes.count
                let t0 = clock.now
                let decoded = DecodedPage(bytes: bytes)
                let t1 = clock.now
                let runs = VisibleText.extract(decoded)
                let t2 = clock.now
                if repetition == 0 { self.runs += runs.count; characters += runs.reduce(0) { $0 + $1.count } }
                found += matcher.scan(runs).findings.count
                let t3 = clock.now
                tDecode += seconds(t1 - t0); tExtract += seconds(t2 - t1); tMatch += seconds(t3 - t2)
            }
            decode.samples.append(tDecode)
            extract.samples.append(tExtract)
            match.samples.append(tMatch)
            total.samples.append(tDecode + tExtract + tMatch)
            if repetition == 0 { bytes = byteTotal; findings = found }
        }
        stages = [decode, extract, match, total]
    }

    public func report() -> String {
        let mb = Double(bytes) / 1_000_000
        var out = String(format: "%d pages, %.2f MB, %d findings; medians of %d runs, one core, pages streamed one at a time\n", pages, mb, findings, stages.first?.samples.count ?? 0)
        out += "visible text: \(runs) runs, \(characters) characters\n"
        for s in stages {
            out += s.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%9.1f ms  %8.1f MB/s  %9.0f pages/s\n", s.median * 1000, mb / s.median, Double(pages) / s.median)
        }
        return out
    }
}
