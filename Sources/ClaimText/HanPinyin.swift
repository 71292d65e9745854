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

    /// The reading of one character from the table, or nil when the table has none.
    static func reading(_ unit: UInt32) -> String? {
        guard range.contains(unit), !table.isEmpty else { return nil }
        let r = table[Int(unit - range.lowerBound)]
        return r.isEmpty ? nil : String(r)
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
    static func source(_ readings: [String]) -> String {
        """
        // Generated from ICU's Han-Latin; Latin-ASCII transliterator by
        //   CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests
        // Do not edit. A test checks it against ICU.
        enum HanPinyinTable {
            /// Toneless readings of U+4E00…U+9FFF, space-separated, "-" for none.
            static let readings = "\(readings.map { $0.isEmpty ? "-" : $0 }.joined(separator: " "))"
        }

        """
    }
}
