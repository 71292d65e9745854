/// The characters a text offers the automaton: every scalar of its runs after
/// normalization (a superset of the skeleton's content units).
///
/// A literal with a character outside it cannot occur in the text, so a matcher built
/// for one page (`Matcher(lexicon:alphabet:)`) leaves such literals out and finds exactly
/// what the full matcher finds there. `claimscan check` on one page compiles only those:
/// on a 200 KB portal page 6,465 of the lexicon's 30,463 literals, a fifth.
public struct Alphabet: Sendable {
    /// One bit per BMP scalar.
    private var bmp = [UInt64](repeating: 0, count: 0x10000 / 64)
    private var other: Set<UInt32> = []

    /// The normalized characters of `runs`.
    public init(_ runs: [TextRun]) {
        bmp.withUnsafeMutableBufferPointer { bits in
            for run in runs where !run.isEmpty {
                for scalar in NormalizedText(run).scalars {
                    let v = scalar.value
                    if v < 0x10000 { bits[Int(v >> 6)] |= 1 << UInt64(v & 63) } else { other.insert(v) }
                }
            }
        }
    }

    @inline(__always)
    public func contains(_ unit: UInt32) -> Bool {
        unit < 0x10000 ? bmp[Int(unit >> 6)] & (1 << UInt64(unit & 63)) != 0 : other.contains(unit)
    }

    /// Whether every unit is in the alphabet.
    func containsAll(_ units: some Sequence<UInt32>) -> Bool {
        units.allSatisfy(contains)
    }
}
