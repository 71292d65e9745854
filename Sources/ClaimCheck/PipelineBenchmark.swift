import ClaimPage
import ClaimText
import Foundation

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

    public init(matcher: Matcher, pages: [[UInt8]], repetitions: Int) {
        self.pages = pages.count
        bytes = pages.reduce(0) { $0 + $1.count }
        var decode = Stage(name: "decode (charset + ICU)", samples: [])
        var extract = Stage(name: "extract visible text", samples: [])
        var match = Stage(name: "normalize + match + rules", samples: [])
        var total = Stage(name: "total", samples: [])
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        for _ in 0..<repetitions {
            var decoded: [DecodedPage] = []
            let t0 = clock.now
            for p in pages { decoded.append(DecodedPage(bytes: p)) }
            let t1 = clock.now
            var runs: [[TextRun]] = []
            for d in decoded { runs.append(VisibleText.extract(d)) }
            let t2 = clock.now
            var found = 0
            for r in runs { found += matcher.scan(r).findings.count }
            let t3 = clock.now
            decode.samples.append(seconds(t1 - t0))
            extract.samples.append(seconds(t2 - t1))
            match.samples.append(seconds(t3 - t2))
            total.samples.append(seconds(t3 - t0))
            findings = found
        }
        stages = [decode, extract, match, total]
    }

    public func report() -> String {
        let mb = Double(bytes) / 1_000_000
        var out = String(format: "%d pages, %.2f MB, %d findings; medians of %d runs, one core\n", pages, mb, findings, stages.first?.samples.count ?? 0)
        for s in stages {
            out += s.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%9.1f ms  %8.1f MB/s  %9.0f pages/s\n", s.median * 1000, mb / s.median, Double(pages) / s.median)
        }
        return out
    }
}
