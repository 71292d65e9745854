/// What a normalization did to a character, kept as evidence.
public struct NormalizationFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Full-width/compatibility form or letter case folded (ＢＡＯ → bao, １００％ → 100%).
    public static let width = NormalizationFlags(rawValue: 1 << 0)
    /// Traditional or variant character mapped to simplified (過 → 过).
    public static let traditional = NormalizationFlags(rawValue: 1 << 1)
    /// Invisible or format characters removed (zero-width, bidi controls, soft hyphen).
    public static let invisible = NormalizationFlags(rawValue: 1 << 2)
    /// Tone marks or tone digits removed from pinyin (bāo → bao).
    public static let tone = NormalizationFlags(rawValue: 1 << 3)
    /// Spaces, symbols, punctuation or emoji skipped between the characters of a phrase.
    public static let noiseGap = NormalizationFlags(rawValue: 1 << 4)
    /// Pinyin written instead of characters (bao过, baoguo).
    public static let pinyin = NormalizationFlags(rawValue: 1 << 5)
    /// Spinner artefact skipped (培(pei)训(xun)).
    public static let spinner = NormalizationFlags(rawValue: 1 << 6)
    /// Markup inside the phrase (包<span>过</span>, 包<!-- -->过).
    public static let markup = NormalizationFlags(rawValue: 1 << 7)
    /// Character references used for visible characters (&#21253;&#36807;).
    public static let entity = NormalizationFlags(rawValue: 1 << 8)
    /// Numbers written out or in another form (百分之百 for 100%).
    public static let number = NormalizationFlags(rawValue: 1 << 9)

    /// Normalizations that only happen when someone disguises a phrase on purpose.
    /// A finding that needed one of these is raised one severity level.
    public static let deliberate: NormalizationFlags = [.invisible, .noiseGap, .pinyin, .spinner, .markup, .entity]

    /// Names as they appear in reports, in a fixed order.
    public static let names: [(NormalizationFlags, String)] = [
        (.width, "width"), (.traditional, "traditional"), (.invisible, "invisible"), (.tone, "tone"),
        (.noiseGap, "noise-gap"), (.pinyin, "pinyin"), (.spinner, "spinner"), (.markup, "markup"),
        (.entity, "entity"), (.number, "number"),
    ]

    public var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }
}

/// Per-character normalization tables, derived from ICU once per process.
///
/// ICU's transliterators are slow per call and not thread-safe, so instead of
/// running them over every page we run them once over every BMP character and
/// keep the answers in flat arrays: NFKC case folding (which also removes
/// default-ignorable characters), Traditional→Simplified for Han characters,
/// and diacritic removal for Latin letters (pinyin tone marks). Characters
/// outside the BMP are folded on demand (they are rare: emoji, rare Han).
public final class CharTable: Sendable {
    /// The shared table, built on first use (about 100 ms).
    public static let shared = CharTable()

    /// Entry encoding: `removed`, `expansionBit | index into expansions`, or a scalar value.
    private static let removed: UInt32 = 0xFFFF_FFFF
    private static let expansionBit: UInt32 = 0x8000_0000

    private let entries: [UInt32]
    private let entryFlags: [UInt16]
    private let expansions: [[Unicode.Scalar]]

    private init() {
        var entries = [UInt32](repeating: 0, count: 0x10000)
        var flags = [UInt16](repeating: 0, count: 0x10000)
        var expansions: [[Unicode.Scalar]] = []

        // 1. NFKC case folding, one character at a time (one C call for all of them).
        var folded = [[Unicode.Scalar]](repeating: [], count: 0x10000)
        let foldedUnits = ICU.nfkcCasefoldEachBMP()
        for code in 0..<0x10000 {
            guard let scalar = Unicode.Scalar(UInt32(code)) else { continue }
            guard let out = foldedUnits[code] else { folded[code] = [scalar]; continue }
            if out.count == 1, out[0] == UInt16(code) { folded[code] = [scalar]; continue }
            let scalars = Array(String(decoding: out, as: UTF16.self).unicodeScalars)
            folded[code] = scalars
            if scalars != [scalar] { flags[code] |= scalars.isEmpty ? NormalizationFlags.invisible.rawValue : NormalizationFlags.width.rawValue }
        }
        // Combining diacritics left alone by NFKC (pinyin tone marks typed as combining marks).
        for code in 0x0300...0x036F { folded[code] = []; flags[code] = NormalizationFlags.tone.rawValue }

        // 2. Traditional → Simplified for every Han character: from a table generated from
        //    ICU's Traditional-Simplified (opening and running it costs ~20 ms per start-up;
        //    a test keeps the table equal to ICU), or from ICU itself if the table is empty.
        let pairs = CharTable.traditionalPairs.isEmpty ? CharTable.traditionalPairsFromICU() : CharTable.traditionalPairs
        for (traditional, simplified) in pairs {
            folded[Int(traditional)] = [Unicode.Scalar(simplified)!]
            flags[Int(traditional)] |= NormalizationFlags.traditional.rawValue
        }
        // Compatibility ideographs folded by NFKC to a traditional form get simplified too.
        let simplifiedOf: (Unicode.Scalar) -> Unicode.Scalar? = { s in
            guard s.value < 0x10000, (flags[Int(s.value)] & NormalizationFlags.traditional.rawValue) != 0 else { return nil }
            return folded[Int(s.value)].first
        }

        // 3. Latin letters with diacritics → base letters (tone marks in pinyin).
        let stripper = ICU.Transliterator("NFD; [:Mn:] Remove; NFC")
        for code in 0..<0x10000 {
            var scalars = folded[code]
            if scalars.count == 1, let s = simplifiedOf(scalars[0]), code != Int(scalars[0].value) {
                scalars = [s]
                flags[code] |= NormalizationFlags.traditional.rawValue
            }
            if let stripper, scalars.contains(where: { (0xC0...0x24F).contains($0.value) || (0x1E00...0x1EFF).contains($0.value) }) {
                let stripped = Array(stripper.apply(String(String.UnicodeScalarView(scalars))).unicodeScalars)
                if stripped != scalars, stripped.allSatisfy({ $0.isASCII }) {
                    scalars = stripped
                    flags[code] |= NormalizationFlags.tone.rawValue
                }
            }
            if scalars.isEmpty {
                entries[code] = CharTable.removed
            } else if scalars.count == 1 {
                entries[code] = scalars[0].value
            } else {
                entries[code] = CharTable.expansionBit | UInt32(expansions.count)
                expansions.append(scalars)
            }
        }
        // Surrogate code points never reach us as scalars; make them identity anyway.
        for code in 0xD800...0xDFFF { entries[code] = UInt32(code); flags[code] = 0 }

        self.entries = entries
        self.entryFlags = flags
        self.expansions = expansions
    }

    /// The Han blocks whose characters ICU maps Traditional → Simplified.
    static let hanRanges: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF]

    /// (traditional, simplified) code points from the generated table.
    static let traditionalPairs: [(UInt32, UInt32)] = {
        let scalars = Array(TraditionalSimplifiedTable.pairs.unicodeScalars)
        return stride(from: 0, to: scalars.count - 1, by: 2).map { (scalars[$0].value, scalars[$0 + 1].value) }
    }()

    /// The same pairs computed by ICU now (one transliterator call over both blocks).
    static func traditionalPairsFromICU() -> [(UInt32, UInt32)] {
        var codes: [UInt32] = []
        var joined: [UInt16] = []
        for range in hanRanges { for code in range { codes.append(code); joined.append(UInt16(code)); joined.append(0x0A) } }
        guard let t2s = ICU.Transliterator("Traditional-Simplified") else { return [] }
        let pieces = t2s.apply(joined).split(separator: 0x0A, omittingEmptySubsequences: false)
        guard pieces.count >= codes.count else { return [] }
        var pairs: [(UInt32, UInt32)] = []
        for (i, code) in codes.enumerated() {
            let simplified = Array(String(decoding: Array(pieces[i]), as: UTF16.self).unicodeScalars)
            if simplified.count == 1, simplified[0].value != code { pairs.append((code, simplified[0].value)) }
        }
        return pairs
    }

    /// The Swift source of `Generated/TraditionalSimplifiedTable.swift` for these pairs.
    static func traditionalSource(_ pairs: [(UInt32, UInt32)]) -> String {
        var s = String.UnicodeScalarView()
        for (t, simp) in pairs { s.append(Unicode.Scalar(t)!); s.append(Unicode.Scalar(simp)!) }
        return """
        // Generated from ICU's Traditional-Simplified transliterator by
        //   CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests
        // Do not edit. A test checks it against ICU.
        enum TraditionalSimplifiedTable {
            /// Pairs of characters: traditional, then simplified.
            static let pairs = "\(String(s))"
        }

        """
    }

    /// Appends the normalized form of `scalar` to `output` and returns what was done.
    @inline(__always)
    public func normalize(_ scalar: Unicode.Scalar, into output: inout [Unicode.Scalar]) -> NormalizationFlags {
        let v = scalar.value
        if v < 0x10000 {
            let e = entries[Int(v)]
            let f = NormalizationFlags(rawValue: entryFlags[Int(v)])
            if e == CharTable.removed { return f }
            if e & CharTable.expansionBit != 0 {
                output.append(contentsOf: expansions[Int(e & ~CharTable.expansionBit)])
            } else {
                output.append(Unicode.Scalar(e)!)
            }
            return f
        }
        // Outside the BMP: emoji and symbols stay; compatibility letters (𝐛𝐚𝐨) fold.
        let folded = ICU.nfkcCasefold(Array(String(Character(scalar)).utf16))
        let scalars = String(decoding: folded, as: UTF16.self).unicodeScalars
        if scalars.count == 1, scalars.first == scalar { output.append(scalar); return [] }
        output.append(contentsOf: scalars)
        return scalars.isEmpty ? .invisible : .width
    }

    /// Normalizes a whole string (used for lexicon phrases).
    public func normalize(_ string: String) -> String {
        var out: [Unicode.Scalar] = []
        for s in string.unicodeScalars { _ = normalize(s, into: &out) }
        return String(String.UnicodeScalarView(out))
    }
}
