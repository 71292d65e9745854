/// Charset labels as browsers read them (WHATWG Encoding Standard), mapped to
/// the ICU converter names claimscan decodes with.
///
/// Chinese legacy labels (gb2312, gbk, x-gbk, …) all mean GB18030, which is a
/// superset of both; Latin-1 and ASCII labels mean windows-1252. A label that
/// is not in the table is unknown: browsers ignore it, and so does claimscan.
public enum CharsetLabel {
    /// The canonical charset name for a label (`"gb2312"` → `"GB18030"`), or
    /// nil when browsers would not recognise the label.
    ///
    /// Leading and trailing ASCII whitespace and quotes are ignored; case is
    /// ignored.
    public static func canonicalName(for label: String) -> String? {
        let trimmed = trim(label)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return table[trimmed.lowercased()]
    }

    static func trim(_ label: String) -> String {
        let junk: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0C, 0x0D, 0x22, 0x27]
        let bytes = Array(label.utf8)
        var lo = 0, hi = bytes.count
        while lo < hi, junk.contains(bytes[lo]) { lo += 1 }
        while hi > lo, junk.contains(bytes[hi - 1]) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// Whether `name` (a canonical name) is one of the Unicode encodings.
    static func isUTF16(_ name: String) -> Bool { name == "UTF-16LE" || name == "UTF-16BE" }

    /// Multi-byte East Asian charsets whose bytes often also decode as GB18030.
    static func isCJKMultibyte(_ name: String) -> Bool {
        ["Big5", "Shift_JIS", "EUC-JP", "EUC-KR"].contains(name)
    }

    private static let table: [String: String] = {
        var t: [String: String] = [:]
        func add(_ name: String, _ labels: [String]) { for l in labels { t[l] = name } }
        add("UTF-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"])
        add("GB18030", ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                        "iso-ir-58", "x-gbk", "gb18030", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn"])
        add("Big5", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950", "x-big5"])
        add("windows-1252", ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                             "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1",
                             "latin1", "us-ascii", "windows-1252", "x-cp1252"])
        add("UTF-16LE", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"])
        add("UTF-16BE", ["unicodefffe", "utf-16be"])
        add("Shift_JIS", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"])
        add("EUC-JP", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"])
        add("EUC-KR", ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                       "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"])
        add("KOI8-R", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"])
        add("KOI8-U", ["koi8-ru", "koi8-u"])
        for n in 0...8 { add("windows-125\(n)", ["windows-125\(n)", "cp125\(n)", "x-cp125\(n)"]) }
        t["windows-1252"] = "windows-1252"
        for n in [2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16] {
            add("ISO-8859-\(n)", ["iso-8859-\(n)", "iso8859-\(n)", "iso8859\(n)", "iso_8859-\(n)"])
        }
        add("windows-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"])
        return t
    }()
}
