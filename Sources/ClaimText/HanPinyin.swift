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

    /// One reading per code point of `range`, in order ("" where ICU has none).
    static let table: [Substring] = {
        let all = HanPinyinTable.readings.split(separator: " ", omittingEmptySubsequences: false)
        return all.count == range.count ? all.map { $0 == "-" ? "" : $0 } : []
    }()

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
        guard range.contains(unit), !table.isEmpty else { return nil }
        let r = table[Int(unit - range.lowerBound)]
        return r.isEmpty ? nil : String(r)
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
