import CClaimTables

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

/// Per-character normalization tables for every BMP character.
///
/// ICU's transliterators are slow per call and not thread-safe, and computing
/// the answers for all 65,536 BMP characters costs ~20 ms per start-up, so the
/// answers are computed from ICU once, at development time, and committed as a
/// generated C table (`Sources/CClaimTables/char_table.c`: only the characters
/// that change, so it loads in well under a millisecond). A test recomputes
/// them from ICU and fails if the committed table drifts
/// (`CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests`).
///
/// What the table holds: NFKC case folding (which also removes
/// default-ignorable characters), Traditional→Simplified for Han characters,
/// and diacritic removal for Latin letters (pinyin tone marks). Characters
/// outside the BMP are folded on demand (they are rare: emoji, rare Han).
public final class CharTable: Sendable {
    /// The shared table: the committed one, or (if that is missing) one computed from ICU.
    public static let shared = CharTable.committed() ?? CharTable.fromICU()

    /// Entry encoding: `removed`, `expansionBit | index into expansions`, or a scalar value.
    private static let removed: UInt32 = 0xFFFF_FFFF
    private static let expansionBit: UInt32 = 0x8000_0000

    let entries: [UInt32]
    let entryFlags: [UInt16]
    let expansions: [[Unicode.Scalar]]

    private init(entries: [UInt32], entryFlags: [UInt16], expansions: [[Unicode.Scalar]]) {
        self.entries = entries
        self.entryFlags = entryFlags
        self.expansions = expansions
    }

    /// The table committed in `CClaimTables`, or nil when it is empty or malformed.
    static func committed() -> CharTable? {
        var diffCount: Int32 = 0, expansionCount: Int32 = 0
        guard let diff = claim_char_diff(&diffCount), let flat = claim_char_expansions(&expansionCount),
              diffCount > 0 else { return nil }
        var entries = [UInt32](unsafeUninitializedCapacity: 0x10000) { buffer, count in
            for code in 0..<0x10000 { buffer[code] = UInt32(code) }
            count = 0x10000
        }
        var flags = [UInt16](repeating: 0, count: 0x10000)
        for k in 0..<Int(diffCount) {
            let code = Int(diff[3 * k])
            guard code < 0x10000 else { return nil }
            entries[code] = diff[3 * k + 1]
            flags[code] = UInt16(truncatingIfNeeded: diff[3 * k + 2])
        }
        var expansions: [[Unicode.Scalar]] = []
        var k = 0
        while k < Int(expansionCount) {
            let length = Int(flat[k])
            guard k + 1 + length <= Int(expansionCount) else { return nil }
            var scalars: [Unicode.Scalar] = []
            for j in 0..<length {
                guard let s = Unicode.Scalar(flat[k + 1 + j]) else { return nil }
                scalars.append(s)
            }
            expansions.append(scalars)
            k += 1 + length
        }
        return CharTable(entries: entries, entryFlags: flags, expansions: expansions)
    }

    /// The table computed from ICU now (~20 ms; development time and the drift test).
    static func fromICU() -> CharTable {
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

        // 2. Traditional → Simplified for every Han character.
        for (traditional, simplified) in CharTable.traditionalPairsFromICU() {
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
        return CharTable(entries: entries, entryFlags: flags, expansions: expansions)
    }

    /// Whether two tables give the same answer for every character.
    func sameAnswers(as other: CharTable) -> Bool {
        entries == other.entries && entryFlags == other.entryFlags && expansions == other.expansions
    }

    /// The Han blocks whose characters ICU maps Traditional → Simplified.
    static let hanRanges: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF]

    /// (traditional, simplified) code points computed by ICU (one transliterator call over both blocks).
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

    /// The C source of `Sources/CClaimTables/char_table.c` for this table: the characters
    /// whose entry or flags differ from identity, and the expansions.
    func cSource() -> String {
        var diff: [String] = []
        for code in 0..<0x10000 where entries[code] != UInt32(code) || entryFlags[code] != 0 {
            diff.append(String(format: "0x%04X,0x%X,%d", code, entries[code], entryFlags[code]))
        }
        var flat: [String] = []
        for e in expansions { flat.append(([e.count] + e.map { Int($0.value) }).map { String(format: "0x%X", $0) }.joined(separator: ",")) }
        var classRuns: [String] = []
        let classes = Skeleton.computedClassTable()
        for code in 0..<classes.count where code == 0 || classes[code] != classes[code - 1] {
            classRuns.append(String(format: "0x%04X,%d", code, classes[code].rawValue))
        }
        func rows(_ items: [String], perLine: Int) -> String {
            stride(from: 0, to: items.count, by: perLine).map { "    " + items[$0..<min($0 + perLine, items.count)].joined(separator: ", ") + "," }
                .joined(separator: "\n")
        }
        return """
        // Generated from ICU (NFKC_Casefold, Traditional-Simplified, diacritic removal) by
        //   CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests
        // Do not edit. A test checks it against ICU. See ClaimText's CharTable.
        #include "claim_tables.h"

        // Triples: BMP code point, entry (scalar, 0xFFFFFFFF = removed, 0x80000000|i = expansion i), flags.
        static const uint32_t diff[] = {
        \(rows(diff, perLine: 6))
        };

        // Expansions: length, then that many scalars.
        static const uint32_t expansions[] = {
        \(rows(flat, perLine: 8))
        };

        // Character classes for matching (Skeleton.CharClass): runs of (first code point, class).
        static const uint32_t classes[] = {
        \(rows(classRuns, perLine: 8))
        };

        const uint32_t *claim_char_diff(int32_t *count) {
            *count = (int32_t)(sizeof diff / sizeof diff[0] / 3);
            return diff;
        }

        const uint32_t *claim_char_expansions(int32_t *count) {
            *count = (int32_t)(sizeof expansions / sizeof expansions[0]);
            return expansions;
        }

        const uint32_t *claim_char_classes(int32_t *count) {
            *count = (int32_t)(sizeof classes / sizeof classes[0] / 2);
            return classes;
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
        // Outside the BMP: emoji and symbols stay; compatibility letters (𝐛𝐚𝐨) fold, and what
        // they fold to in the BMP goes through the table too, so that a squared or
        // compatibility ideograph folding to a traditional form is simplified (🈚 → 無 → 无).
        let folded = ICU.nfkcCasefold(Array(String(Character(scalar)).utf16))
        let scalars = String(decoding: folded, as: UTF16.self).unicodeScalars
        if scalars.count == 1, scalars.first == scalar { output.append(scalar); return [] }
        var flags: NormalizationFlags = scalars.isEmpty ? .invisible : .width
        for s in scalars {
            if s.value < 0x10000 { flags.formUnion(normalize(s, into: &output)) } else { output.append(s) }
        }
        return flags
    }

    /// Appends the normalized form of `scalar` to `output` (the scan's hot path: the
    /// flags are looked up again only for characters that end up in a finding).
    @inline(__always)
    public func normalizeFast(_ scalar: Unicode.Scalar, into output: inout [Unicode.Scalar]) {
        let v = scalar.value
        guard v < 0x10000 else { _ = normalize(scalar, into: &output); return }
        let e = entries[Int(v)]
        if e & CharTable.expansionBit == 0 {
            output.append(unsafeBitCast(e, to: Unicode.Scalar.self))   // table entries are valid scalars
        } else if e != CharTable.removed {
            output.append(contentsOf: expansions[Int(e & ~CharTable.expansionBit)])
        }
    }

    /// Normalizes `input` into `output`, writing for every output scalar the index of the
    /// input scalar it came from into `source`. Returns the number written, or nil if the
    /// output did not fit (expansions; the caller then takes the growing path).
    func normalize(_ input: UnsafeBufferPointer<Unicode.Scalar>,
                   into output: UnsafeMutableBufferPointer<Unicode.Scalar>,
                   source: UnsafeMutableBufferPointer<Int32>) -> Int? {
        let capacity = min(output.count, source.count)
        var k = 0
        var scratch: [Unicode.Scalar] = []
        return entries.withUnsafeBufferPointer { entries -> Int? in
            for i in 0..<input.count {
                let v = input[i].value
                if v < 0x10000 {
                    let e = entries[Int(v)]
                    if e & CharTable.expansionBit == 0 {
                        guard k < capacity else { return nil }
                        output.initializeElement(at: k, to: unsafeBitCast(e, to: Unicode.Scalar.self))   // table entries are valid scalars
                        source.initializeElement(at: k, to: Int32(i))
                        k += 1
                        continue
                    }
                    if e == CharTable.removed { continue }
                    scratch = expansions[Int(e & ~CharTable.expansionBit)]
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    _ = normalize(input[i], into: &scratch)
                }
                guard k + scratch.count <= capacity else { return nil }
                for s in scratch {
                    output.initializeElement(at: k, to: s)
                    source.initializeElement(at: k, to: Int32(i))
                    k += 1
                }
            }
            return k
        }
    }

    /// What normalizing `scalar` does (see ``normalize(_:into:)``).
    public func flags(of scalar: Unicode.Scalar) -> NormalizationFlags {
        if scalar.value < 0x10000 { return NormalizationFlags(rawValue: entryFlags[Int(scalar.value)]) }
        var scratch: [Unicode.Scalar] = []
        return normalize(scalar, into: &scratch)
    }

    /// Normalizes a whole string (used for lexicon phrases).
    public func normalize(_ string: String) -> String {
        var out: [Unicode.Scalar] = []
        for s in string.unicodeScalars { _ = normalize(s, into: &out) }
        return String(String.UnicodeScalarView(out))
    }
}
