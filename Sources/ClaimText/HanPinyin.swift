/// Toneless pinyin for Han characters, for deriving the pinyin spellings of
/// lexicon phrases.
///
/// ICU's `Han-Latin` transliterator takes ~70 ms to open — most of a `check`'s
/// start-up — so the readings of the whole CJK Unified Ideographs block are kept
/// in a table generated from ICU (`Generated/HanPinyinTable.swift`). A test
/// regenerates the table from ICU and fails if it differs; characters outside
/// the block fall back to ICU itself.
enum HanPinyin {
    static let range: ClosedRange<UInt32> = 0x4E00...0x9FFF

    /// The readings' bytes and where each code point's reading starts in them
    /// (`offsets[i] ..< offsets[i + 1] - 1`, the space excluded): one pass over the
    /// table's bytes, no String per character. Empty if the table is malformed.
    private static let readingBytes: [UInt8] = Array(HanPinyinTable.readings.utf8)
    private static let offsets: [Int32] = {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(range.count + 1)
        for (i, b) in readingBytes.enumerated() where b == 0x20 { offsets.append(Int32(i + 1)) }
        offsets.append(Int32(readingBytes.count + 1))
        return offsets.count == range.count + 1 ? offsets : []
    }()

    /// One reading per code point of `range`, in order ("" where ICU has none).
    static var table: [String] { offsets.isEmpty ? [] : range.map { reading($0) ?? "" } }

    /// Tone (1–4; 0 = neutral or unknown) of each code point of `range`.
    static let tones: [UInt8] = {
        let digits = HanPinyinTable.tones.utf8.map { $0 &- 0x30 }
        return digits.count == range.count ? digits : []
    }()

    /// The tone ICU gives a character's reading (1–4), or 0.
    static func tone(_ unit: UInt32) -> UInt8 {
        guard range.contains(unit), !tones.isEmpty else { return 0 }
        return tones[Int(unit - range.lowerBound)]
    }

    /// The tone a pinyin vowel or combining mark carries (ā → 1, á → 2, ǎ → 3, à → 4), or 0.
    static func toneMark(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar {
        case "ā", "ē", "ī", "ō", "ū", "ǖ", "Ā", "Ē", "Ī", "Ō", "Ū", "Ǖ", "\u{0304}": return 1
        case "á", "é", "í", "ó", "ú", "ǘ", "Á", "É", "Í", "Ó", "Ú", "Ǘ", "\u{0301}": return 2
        case "ǎ", "ě", "ǐ", "ǒ", "ǔ", "ǚ", "Ǎ", "Ě", "Ǐ", "Ǒ", "Ǔ", "Ǚ", "\u{030C}": return 3
        case "à", "è", "ì", "ò", "ù", "ǜ", "À", "È", "Ì", "Ò", "Ù", "Ǜ", "\u{0300}": return 4
        default: return 0
        }
    }

    /// The reading of one character from the table, or nil when the table has none.
    static func reading(_ unit: UInt32) -> String? {
        readingScalars(unit).map { String(decoding: $0.map { UInt8($0) }, as: UTF8.self) }
    }

    /// Appends the toneless reading of a character in `range` (`包` → `b a o`); false,
    /// appending nothing, when the table has none.
    static func appendReading(_ unit: UInt32, to out: inout [UInt32]) -> Bool {
        guard range.contains(unit), !offsets.isEmpty else { return false }
        let i = Int(unit - range.lowerBound)
        let start = Int(offsets[i]), end = Int(offsets[i + 1]) - 1
        guard end > start, !(end == start + 1 && readingBytes[start] == 0x2D) else { return false }   // "-": none
        for k in start..<end { out.append(UInt32(readingBytes[k])) }
        return true
    }

    /// The toneless reading of a character in `range` as scalar values (`包` → `b a o`).
    static func readingScalars(_ unit: UInt32) -> [UInt32]? {
        var reading: [UInt32] = []
        return appendReading(unit, to: &reading) ? reading : nil
    }

    /// Tones computed by ICU (from its toned Han-Latin readings) for every character of `range`.
    static func tonesFromICU() -> [UInt8]? {
        guard let t = ICU.Transliterator("Han-Latin") else { return nil }
        var joined: [UInt16] = []
        for code in range { joined.append(UInt16(code)); joined.append(0x0A) }
        let pieces = t.apply(joined).split(separator: 0x0A, omittingEmptySubsequences: false)
        guard pieces.count >= range.count else { return nil }
        return pieces.prefix(range.count).map { piece in
            String(decoding: Array(piece), as: UTF16.self).unicodeScalars.map(toneMark).first { $0 != 0 } ?? 0
        }
    }

    /// Readings computed by ICU for every character of `range` (for generating
    /// and checking the table).
    static func fromICU() -> [String]? {
        guard let t = ICU.Transliterator("Han-Latin; Latin-ASCII") else { return nil }
        var joined: [UInt16] = []
        for code in range { joined.append(UInt16(code)); joined.append(0x0A) }
        let out = t.apply(joined)
        let pieces = out.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: Array($0), as: UTF16.self).lowercased().filter { ("a"..."z").contains($0) }
        }
        guard pieces.count >= range.count else { return nil }
        return Array(pieces.prefix(range.count))
    }

    /// The Swift source of `Generated/HanPinyinTable.swift` for these readings.
    static func source(_ readings: [String], tones: [UInt8]) -> String {
        """
        // Generated from ICU's Han-Latin; Latin-ASCII transliterator by
        //   CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests
        // Do not edit. A test checks it against ICU.
        enum HanPinyinTable {
            /// Toneless readings of U+4E00…U+9FFF, space-separated, "-" for none.
            static let readings = "\(readings.map { $0.isEmpty ? "-" : $0 }.joined(separator: " "))"
            /// Their tones, one digit each (0 = neutral or unknown).
            static let tones = "\(tones.map(String.init).joined())"
        }

        """
    }
}
