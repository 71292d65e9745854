/// Reads the `<loc>` entries of an XML sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`).
///
/// A tolerant scanner, not an XML parser: namespace prefixes are ignored, `CDATA` and the
/// XML entities (`&amp;` …, numeric) are decoded, surrounding whitespace is trimmed. A
/// `<loc>` inside `<sitemap>` is a sitemap, anywhere else a page. At most 50,000 of each
/// are returned (the sitemap protocol's limit). Gzipped sitemaps are not decompressed.
public enum SitemapParser {
    /// The page URLs and child sitemap URLs, as written (not normalized), in document order.
    public static func locations(_ xml: [UInt8]) -> (urls: [String], sitemaps: [String]) {
        var urls: [String] = []
        var sitemaps: [String] = []
        var inSitemap = false
        var i = 0
        let n = xml.count
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">")
        while i < n, urls.count < 50_000 || sitemaps.count < 50_000 {
            guard let open = xml[i...].firstIndex(of: lt) else { break }
            if xml[open...].starts(with: Array("<!--".utf8)) {
                i = find(Array("-->".utf8), in: xml, from: open + 4).map { $0 + 3 } ?? n
                continue
            }
            guard let close = xml[open...].firstIndex(of: gt) else { break }
            var name = xml[(open + 1)..<close]
            let closing = name.first == UInt8(ascii: "/")
            if closing { name = name.dropFirst() }
            let end = name.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: "/") } ?? name.endIndex
            var local = name[name.startIndex..<end]
            if let colon = local.lastIndex(of: UInt8(ascii: ":")) { local = local[(colon + 1)...] }
            let tag = String(decoding: local, as: UTF8.self).lowercased()
            i = close + 1
            switch (tag, closing) {
            case ("sitemap", false): inSitemap = true
            case ("sitemap", true): inSitemap = false
            case ("url", _): inSitemap = false
            case ("loc", false):
                let (text, next) = readText(xml, from: i)
                i = next
                let value = decodeEntities(text).trimmingSpacesAndNewlines
                guard !value.isEmpty else { continue }
                if inSitemap {
                    if sitemaps.count < 50_000 { sitemaps.append(value) }
                } else if urls.count < 50_000 {
                    urls.append(value)
                }
            default:
                continue
            }
        }
        return (urls, sitemaps)
    }

    /// The character data from `start` up to the next tag, with CDATA sections unwrapped.
    private static func readText(_ xml: [UInt8], from start: Int) -> (String, Int) {
        var out: [UInt8] = []
        var i = start
        let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
        while i < xml.count {
            if xml[i] == UInt8(ascii: "<") {
                if xml[i...].starts(with: cdataOpen) {
                    let from = i + cdataOpen.count
                    let to = find(cdataClose, in: xml, from: from) ?? xml.count
                    out.append(contentsOf: xml[from..<to])
                    i = min(xml.count, to + cdataClose.count)
                    continue
                }
                break
            }
            out.append(xml[i])
            i += 1
        }
        return (String(decoding: out, as: UTF8.self), i)
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count > 0, from <= hay.count - needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// Decodes `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and numeric character references.
func decodeEntities(_ s: String) -> String {
    guard s.contains("&") else { return s }
    var out = String.UnicodeScalarView()
    let scalars = Array(s.unicodeScalars)
    var i = 0
    while i < scalars.count {
        let c = scalars[i]
        if c == "&" {
            var j = i + 1
            var name = ""
            while j < scalars.count, j - i <= 10, scalars[j] != ";", scalars[j] != "&" {
                name.unicodeScalars.append(scalars[j])
                j += 1
            }
            if j < scalars.count, scalars[j] == ";", let decoded = entityValue(name) {
                out.append(decoded)
                i = j + 1
                continue
            }
            // Tolerate a missing `;` after the common names.
            if let decoded = ["amp": "&", "lt": "<", "gt": ">", "quot": "\""].first(where: { name.hasPrefix($0.key) }) {
                out.append(contentsOf: decoded.value.unicodeScalars)
                i += 1 + decoded.key.count
                continue
            }
        }
        out.append(c)
        i += 1
    }
    return String(out)
}

private func entityValue(_ name: String) -> Unicode.Scalar? {
    switch name.lowercased() {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos": return "'"
    case "nbsp": return "\u{A0}"
    default: break
    }
    if name.hasPrefix("#x") || name.hasPrefix("#X") {
        return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
    }
    if name.hasPrefix("#") {
        return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
    }
    return nil
}

extension String {
    var trimmingSpacesAndNewlines: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
