/// Byte-level charset declarations: the BOM, the `charset` parameter of a
/// Content-Type value, and the `<meta>` prescan browsers run over the start
/// of a page.
public enum CharsetSniffer {
    /// The encoding named by a byte order mark at the start of `bytes`, and
    /// the BOM's length.
    public static func byteOrderMark(_ bytes: [UInt8]) -> (charset: String, length: Int)? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return ("UTF-8", 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return ("UTF-16LE", 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return ("UTF-16BE", 2) }
        return nil
    }

    /// The raw `charset` label in a Content-Type value
    /// (`text/html; charset="gbk"` → `gbk`), or nil.
    public static func charsetParameter(inContentType value: String) -> String? {
        extractCharset(Array(value.utf8)[...])
    }

    /// The raw charset labels declared by `<meta charset>` or
    /// `<meta http-equiv="Content-Type" content="…charset=…">` in the first
    /// `limit` bytes, in document order. Comments are skipped; attribute
    /// values of other tags cannot fake a declaration.
    public static func metaCharsetLabels(_ bytes: [UInt8], limit: Int = 4096) -> [String] {
        let end = min(bytes.count, limit)
        var found: [String] = []
        bytes.withUnsafeBufferPointer { buf in
            let b = UnsafeBufferPointer(rebasing: buf[0..<end])
            var i = 0
            while i < end {
                guard b[i] == 0x3C else { i += 1; continue }  // '<'
                if matches(b, i, "<!--") {
                    guard let close = find(b, from: i + 2, "-->") else { return }
                    i = close + 3
                } else if matchesCaseless(b, i, "<meta"), i + 5 < end, isSpace(b[i + 5]) || b[i + 5] == 0x2F {
                    i += 5
                    var seen: Set<String> = []
                    var gotPragma = false
                    var needPragma: Bool?
                    var charset: String?
                    while let (name, value) = attribute(b, &i) {
                        guard seen.insert(name).inserted else { continue }
                        switch name {
                        case "http-equiv":
                            if value == "content-type" { gotPragma = true }
                        case "content":
                            if charset == nil, let c = extractCharset(Array(value.utf8)[...]) {
                                charset = c
                                needPragma = true
                            }
                        case "charset":
                            charset = value
                            needPragma = false
                        default:
                            break
                        }
                    }
                    if let charset, let needPragma, !needPragma || gotPragma {
                        found.append(charset)
                    }
                    i += 1
                } else if i + 1 < end, isLetter(b[i + 1])
                    || (b[i + 1] == 0x2F && i + 2 < end && isLetter(b[i + 2])) {
                    i += 1
                    while i < end, !isSpace(b[i]), b[i] != 0x3E { i += 1 }
                    while attribute(b, &i) != nil {}
                    i += 1
                } else if i + 1 < end, b[i + 1] == 0x21 || b[i + 1] == 0x2F || b[i + 1] == 0x3F {
                    while i < end, b[i] != 0x3E { i += 1 }
                    i += 1
                } else {
                    i += 1
                }
            }
        }
        return found
    }

    // MARK: - WHATWG "get an attribute" and "extract a character encoding"

    /// Reads one attribute at `i` (lower-cased name and value). Returns nil
    /// at `>` or at the end of the buffer.
    static func attribute(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> (String, String)? {
        let end = b.count
        while i < end, isSpace(b[i]) || b[i] == 0x2F { i += 1 }
        guard i < end, b[i] != 0x3E else { return nil }
        var name: [UInt8] = []
        var value: [UInt8] = []
        func result() -> (String, String) {
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        // Name.
        while true {
            guard i < end else { return nil }
            let c = b[i]
            if c == 0x3D, !name.isEmpty { i += 1; break }
            if isSpace(c) {
                while i < end, isSpace(b[i]) { i += 1 }
                guard i < end else { return nil }
                if b[i] != 0x3D { return result() }
                i += 1
                break
            }
            if c == 0x2F || c == 0x3E { return result() }
            name.append(lower(c))
            i += 1
        }
        // Value.
        while i < end, isSpace(b[i]) { i += 1 }
        guard i < end else { return nil }
        let q = b[i]
        if q == 0x22 || q == 0x27 {
            i += 1
            while true {
                guard i < end else { return nil }
                if b[i] == q { i += 1; return result() }
                value.append(lower(b[i]))
                i += 1
            }
        }
        if q == 0x3E { return result() }
        while i < end, !isSpace(b[i]), b[i] != 0x3E {
            value.append(lower(b[i]))
            i += 1
        }
        return i < end ? result() : nil
    }

    /// The label after `charset=` in a Content-Type-like value.
    static func extractCharset(_ v: ArraySlice<UInt8>) -> String? {
        let s = Array(v)
        var i = 0
        while i + 7 <= s.count {
            guard s[i..<(i + 7)].map(lower) == Array("charset".utf8) else { i += 1; continue }
            var j = i + 7
            while j < s.count, isSpace(s[j]) { j += 1 }
            guard j < s.count, s[j] == 0x3D else { i = j; continue }
            j += 1
            while j < s.count, isSpace(s[j]) { j += 1 }
            guard j < s.count else { return nil }
            if s[j] == 0x22 || s[j] == 0x27 {
                let q = s[j]
                guard let close = s[(j + 1)...].firstIndex(of: q) else { return nil }
                return String(decoding: s[(j + 1)..<close], as: UTF8.self)
            }
            var k = j
            while k < s.count, !isSpace(s[k]), s[k] != 0x3B { k += 1 }
            return k > j ? String(decoding: s[j..<k], as: UTF8.self) : nil
        }
        return nil
    }

    // MARK: - Byte helpers

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D
    }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    static func matches(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        return true
    }

    static func matchesCaseless(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = s.utf8Start
        for k in 0..<n where lower(b[i + k]) != p[k] { return false }
        return true
    }

    static func find(_ b: UnsafeBufferPointer<UInt8>, from: Int, _ s: StaticString) -> Int? {
        var i = from
        while i + s.utf8CodeUnitCount <= b.count {
            if matches(b, i, s) { return i }
            i += 1
        }
        return nil
    }
}
