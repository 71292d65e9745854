import ClaimPage

/// Finds the outlinks of an HTML page.
///
/// Reads `<a href>`, `<area href>`, `<frame src>`, `<iframe src>` and
/// `<meta http-equiv="refresh" content="…; url=…">`; resolves them against the first
/// `<base href>` (itself resolved against the page URL) or the page URL. Comments and the
/// content of `<script>`, `<style>`, `<textarea>`, `<title>` and `<xmp>` are skipped.
/// `javascript:`, `mailto:`, `tel:`, `data:` and every other non-http(s) link is left out,
/// as are empty and fragment-only references.
public enum LinkExtractor {
    /// Normalized absolute http(s) URLs, each once, in document order. Not filtered by scope.
    public static func links(in page: DecodedPage, baseURL: String) -> [String] {
        var scanner = TagScanner(page.scalars)
        var raw: [String] = []
        var base: String?
        scanner.scan { name, attributes in
            switch name {
            case "a", "area":
                if let href = attributes["href"] { raw.append(href) }
            case "frame", "iframe":
                if let src = attributes["src"] { raw.append(src) }
            case "base":
                if base == nil, let href = attributes["href"] { base = href }
            case "meta":
                if attributes["http-equiv"]?.lowercased() == "refresh", let content = attributes["content"],
                   let target = refreshTarget(content) {
                    raw.append(target)
                }
            default:
                break
            }
        }
        let pageURL = URLNormalizer.normalize(baseURL) ?? baseURL
        let effectiveBase = base.flatMap { URLNormalizer.normalize(decodeEntities($0), relativeTo: pageURL) } ?? pageURL
        var seen: Set<String> = []
        var out: [String] = []
        for value in raw {
            let href = decodeEntities(value).trimmingSpacesAndNewlines
            if href.isEmpty || href.hasPrefix("#") { continue }
            let lower = href.prefix(11).lowercased()
            if lower.hasPrefix("javascript:") || lower.hasPrefix("mailto:") || lower.hasPrefix("tel:") || lower.hasPrefix("data:") {
                continue
            }
            guard let url = URLNormalizer.normalize(href, relativeTo: effectiveBase) else { continue }
            if seen.insert(url).inserted { out.append(url) }
        }
        return out
    }

    /// The URL in a meta refresh `content` (`5; url='/next'`), if any.
    static func refreshTarget(_ content: String) -> String? {
        var s = Substring(content)
        s = s.drop { $0.isNumber || $0 == "." || $0.isWhitespace }
        guard let first = s.first, first == ";" || first == "," else { return nil }
        s = s.dropFirst().drop { $0.isWhitespace }
        if s.lowercased().hasPrefix("url") {
            let afterURL = s.dropFirst(3).drop { $0.isWhitespace }
            if afterURL.first == "=" { s = afterURL.dropFirst().drop { $0.isWhitespace } }
        }
        if let q = s.first, q == "'" || q == "\"" {
            s = s.dropFirst()
            if let end = s.firstIndex(of: q) { s = s[..<end] }
        }
        let value = String(s).trimmingSpacesAndNewlines
        return value.isEmpty ? nil : value
    }
}

/// A tolerant HTML start-tag scanner over decoded scalars.
struct TagScanner {
    let s: [Unicode.Scalar]
    init(_ s: [Unicode.Scalar]) { self.s = s }

    /// Calls `visit` with each start tag's lowercased name and its attributes (first wins).
    mutating func scan(_ visit: (String, [String: String]) -> Void) {
        let n = s.count
        var i = 0
        while i < n {
            guard s[i] == "<", i + 1 < n else { i += 1; continue }
            let next = s[i + 1]
            if next == "!" {
                if i + 3 < n, s[i + 2] == "-", s[i + 3] == "-" {
                    i = find("-->", from: i + 4).map { $0 + 3 } ?? n
                } else {
                    i = firstIndex(of: ">", from: i + 2).map { $0 + 1 } ?? n
                }
                continue
            }
            if next == "/" || next == "?" {
                i = firstIndex(of: ">", from: i + 2).map { $0 + 1 } ?? n
                continue
            }
            guard next.properties.isAlphabetic, next.isASCII else { i += 1; continue }
            // Tag name.
            var j = i + 1
            var name = ""
            while j < n, !isSpace(s[j]), s[j] != ">", s[j] != "/" {
                name.unicodeScalars.append(s[j])
                j += 1
            }
            name = name.lowercased()
            // Attributes.
            var attributes: [String: String] = [:]
            while j < n {
                while j < n, isSpace(s[j]) || s[j] == "/" { j += 1 }
                guard j < n, s[j] != ">" else { break }
                var attr = ""
                while j < n, !isSpace(s[j]), s[j] != ">", s[j] != "=" || attr.isEmpty, !(s[j] == "/" && !attr.isEmpty) {
                    attr.unicodeScalars.append(s[j])
                    j += 1
                }
                while j < n, isSpace(s[j]) { j += 1 }
                var value = ""
                if j < n, s[j] == "=" {
                    j += 1
                    while j < n, isSpace(s[j]) { j += 1 }
                    if j < n, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        let start = j
                        while j < n, s[j] != quote { j += 1 }
                        value.unicodeScalars.append(contentsOf: s[start..<min(j, n)])
                        j += 1
                    } else {
                        while j < n, !isSpace(s[j]), s[j] != ">" {
                            value.unicodeScalars.append(s[j])
                            j += 1
                        }
                    }
                }
                let key = attr.lowercased()
                if attributes[key] == nil { attributes[key] = value }
            }
            i = j + 1
            visit(name, attributes)
            if ["script", "style", "textarea", "title", "xmp"].contains(name) {
                i = findClosing(name, from: i)
            }
        }
    }

    private func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}"
    }

    private func firstIndex(of c: Unicode.Scalar, from: Int) -> Int? {
        var i = from
        while i < s.count {
            if s[i] == c { return i }
            i += 1
        }
        return nil
    }

    private func find(_ needle: String, from: Int) -> Int? {
        let pattern = Array(needle.unicodeScalars)
        var i = from
        while i + pattern.count <= s.count {
            if s[i] == pattern[0], s[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    /// The index just past `</name …>` (case-insensitive), or the end.
    private func findClosing(_ name: String, from: Int) -> Int {
        let pattern = Array(("</" + name).unicodeScalars)
        var i = from
        while i + pattern.count <= s.count {
            if s[i] == "<", i + 1 < s.count, s[i + 1] == "/" {
                var match = true
                for k in 2..<pattern.count where Character(s[i + k]).lowercased() != String(pattern[k]) {
                    match = false
                    break
                }
                if match { return firstIndex(of: ">", from: i).map { $0 + 1 } ?? s.count }
            }
            i += 1
        }
        return s.count
    }
}
