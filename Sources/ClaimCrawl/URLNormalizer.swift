/// Normalizes http(s) URLs so that one page has one spelling, for de-duplication, scope and robots.txt.
///
/// - scheme and host lowercased; a non-ASCII host is converted to punycode (`xn--…`),
///   with the ideographic full stop `。` read as a dot; a trailing dot is dropped;
/// - user information dropped; the default port removed;
/// - the fragment removed;
/// - dot segments resolved (`%2E` counts as a dot), an empty path becomes `/`;
/// - percent-encoding normalized: hex digits uppercase, unreserved characters
///   (`A–Z a–z 0–9 - . _ ~`) decoded, a stray `%` encoded as `%25`, and characters that may
///   not appear in a URL (space, non-ASCII as UTF-8, `"<>` …) percent-encoded;
/// - an empty query (`?` alone) removed;
/// - as browsers do for http(s): surrounding whitespace trimmed, tabs and newlines inside
///   removed, `\` read as `/`, any number of slashes after `http:` accepted.
///
/// Query parameters keep their order; non-ASCII query characters are encoded as UTF-8 (a
/// browser on a GBK page would use GBK there).
public enum URLNormalizer {
    /// The normalized absolute form of `url`, resolved against `base` when relative; `nil` when
    /// the result is not an http(s) URL or cannot be parsed (bad port, empty host, …).
    public static func normalize(_ url: String, relativeTo base: String? = nil) -> String? {
        parse(url, relativeTo: base)?.string
    }

    /// The parsed normalized form of `url` (see ``normalize(_:relativeTo:)``).
    static func parse(_ url: String, relativeTo base: String? = nil) -> NormalizedURL? {
        var input = Array(url.utf8)
        // Trim C0 controls and spaces at both ends; drop tabs and newlines anywhere.
        while let f = input.first, f <= 0x20 { input.removeFirst() }
        while let l = input.last, l <= 0x20 { input.removeLast() }
        input.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }

        let scheme = schemePrefix(input)
        if let scheme, scheme == "http" || scheme == "https" {
            var rest = Array(input[(scheme.utf8.count + 1)...])
            let slashes = rest.prefix { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }.count
            if slashes == 0, let b = base.flatMap({ parse($0) }), b.scheme == scheme {
                // `http:foo` against an http base is relative (as in browsers).
                return resolve(rest, against: b)
            }
            rest.removeFirst(slashes)
            return absolute(scheme: scheme, afterSlashes: rest)
        }
        if scheme != nil { return nil }  // mailto:, javascript:, ftp:, …
        guard let base, let b = parse(base) else { return nil }
        return resolve(input, against: b)
    }

    // MARK: - Parsing

    /// `http` from `HTTP://…`: the lowercased scheme if the input starts with one.
    private static func schemePrefix(_ s: [UInt8]) -> String? {
        guard let first = s.first, isAlpha(first) else { return nil }
        var i = 1
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: ":") { return String(decoding: s[0..<i], as: UTF8.self).lowercased() }
            guard isAlpha(c) || isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else {
                return nil
            }
            i += 1
        }
        return nil
    }

    /// Splits `authority path ?query #fragment` (the part after `scheme://`).
    private static func absolute(scheme: String, afterSlashes s: [UInt8]) -> NormalizedURL? {
        let end = s.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? s.count
        guard let (host, port) = authority(Array(s[0..<end]), scheme: scheme) else { return nil }
        let (path, query) = pathAndQuery(Array(s[end...]))
        return NormalizedURL(scheme: scheme, host: host, port: port, path: normalizePath(path), query: query.map(normalizeQuery))
    }

    /// Splits `path ?query #fragment`; the fragment is dropped.
    private static func pathAndQuery(_ s: [UInt8]) -> (path: [UInt8], query: [UInt8]?) {
        var s = s
        if let hash = s.firstIndex(of: UInt8(ascii: "#")) { s.removeSubrange(hash...) }
        if let q = s.firstIndex(of: UInt8(ascii: "?")) {
            return (Array(s[..<q]), Array(s[(q + 1)...]))
        }
        return (s, nil)
    }

    /// RFC 3986 §5.2.2 reference resolution against a normalized base.
    private static func resolve(_ ref: [UInt8], against b: NormalizedURL) -> NormalizedURL? {
        let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\")
        func isSlash(_ c: UInt8) -> Bool { c == slash || c == backslash }
        if ref.count >= 2, isSlash(ref[0]), isSlash(ref[1]) {
            var rest = ref
            rest.removeFirst(rest.prefix(while: isSlash).count)
            return absolute(scheme: b.scheme, afterSlashes: rest)
        }
        let (path, query) = pathAndQuery(ref)
        var out = b
        if path.isEmpty {
            if let query { out.query = normalizeQuery(query) }
            return out
        }
        out.query = query.map(normalizeQuery)
        if isSlash(path[0]) {
            out.path = normalizePath(path)
        } else {
            var merged = Array(b.path.utf8)
            if let lastSlash = merged.lastIndex(of: slash) { merged.removeSubrange((lastSlash + 1)...) } else { merged = [slash] }
            out.path = normalizePath(merged + path)
        }
        return out
    }

    /// Host and explicit non-default port from an authority (`user@Host:80`).
    private static func authority(_ a: [UInt8], scheme: String) -> (String, Int?)? {
        var a = a
        if let at = a.lastIndex(of: UInt8(ascii: "@")) { a.removeSubrange(...at) }
        var hostBytes = a
        var portBytes: [UInt8]?
        if a.first == UInt8(ascii: "[") {
            guard let close = a.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = Array(a[...close])
            let after = a[(close + 1)...]
            if let colon = after.first {
                guard colon == UInt8(ascii: ":") else { return nil }
                portBytes = Array(after.dropFirst())
            }
        } else if let colon = a.lastIndex(of: UInt8(ascii: ":")) {
            hostBytes = Array(a[..<colon])
            portBytes = Array(a[(colon + 1)...])
        }
        guard let host = normalizeHost(hostBytes) else { return nil }
        var port: Int?
        if let portBytes, !portBytes.isEmpty {
            guard portBytes.count <= 5, portBytes.allSatisfy(isDigit), let p = Int(String(decoding: portBytes, as: UTF8.self)), p <= 65535 else {
                return nil
            }
            let defaultPort = scheme == "https" ? 443 : 80
            port = p == defaultPort ? nil : p
        }
        return (host, port)
    }

    private static func normalizeHost(_ h: [UInt8]) -> String? {
        guard !h.isEmpty else { return nil }
        if h.first == UInt8(ascii: "[") {
            let inner = h.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
            return String(decoding: h, as: UTF8.self).lowercased()
        }
        // Percent-decode (browsers do), then split into labels on dots (incl. full-width ones).
        let decoded = percentDecode(h)
        guard let text = String(validating: decoded, as: UTF8.self) else { return nil }
        var labels: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar == "." || scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}" {
                labels.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        labels.append(current)
        if labels.count > 1, labels.last == "" { labels.removeLast() }  // trailing dot
        var out: [String] = []
        for label in labels {
            guard !label.isEmpty else { return nil }
            let lower = label.lowercased()
            if lower.unicodeScalars.allSatisfy({ $0.isASCII }) {
                guard lower.utf8.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
                    return nil
                }
                out.append(lower)
            } else {
                // An internationalized label may mix in ASCII letters, digits and hyphens, nothing else.
                let asciiOK = lower.unicodeScalars.allSatisfy {
                    !$0.isASCII || isAlpha(UInt8($0.value)) || isDigit(UInt8($0.value)) || $0 == "-"
                }
                guard asciiOK, let encoded = Punycode.encode(lower.unicodeScalars.map(\.value)) else { return nil }
                out.append("xn--" + encoded)
            }
        }
        return out.joined(separator: ".")
    }

    // MARK: - Path and query

    private static func normalizePath(_ p: [UInt8]) -> String {
        var bytes = p.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }
        if bytes.first != UInt8(ascii: "/") { bytes.insert(UInt8(ascii: "/"), at: 0) }
        let segments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        var out: [String] = []
        var trailingSlash = false
        for raw in segments {
            let seg = encode(Array(raw), allowed: pathAllowed)
            trailingSlash = false
            if seg == "." {
                trailingSlash = true
                continue
            }
            if seg == ".." {
                if !out.isEmpty { out.removeLast() }
                trailingSlash = true
                continue
            }
            out.append(seg)
        }
        var path = "/" + out.joined(separator: "/")
        if trailingSlash, !out.isEmpty { path += "/" }
        return path
    }

    private static func normalizeQuery(_ q: [UInt8]) -> String {
        encode(q, allowed: queryAllowed)
    }

    /// Normalizes the percent-encoding of a path (used for robots.txt patterns, which keep `*` and `$`).
    static func normalizePercentEncoding(_ s: String) -> String {
        encode(Array(s.utf8), allowed: queryAllowed)
    }

    /// Percent-encoding normalization of one component.
    private static func encode(_ s: [UInt8], allowed: [Bool]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                if i + 2 < s.count, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                    let v = hi << 4 | lo
                    if isUnreserved(v) {
                        out.append(v)
                    } else {
                        out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(v >> 4)], hex[Int(v & 15)]])
                    }
                    i += 3
                    continue
                }
                out.append(contentsOf: Array("%25".utf8))
                i += 1
                continue
            }
            if c < 128, allowed[Int(c)] {
                out.append(c)
            } else {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 15)]])
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func percentDecode(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "%"), i + 2 < s.count, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// ASCII characters left as they are in a path segment: unreserved, sub-delims, `:` `@`.
    private static let pathAllowed: [Bool] = (0..<128).map { c in
        let ch = UInt8(c)
        return isUnreserved(ch) || "!$&'()*+,;=:@".utf8.contains(ch)
    }

    /// ASCII characters left as they are in a query: the path's, plus `/` and `?`.
    private static let queryAllowed: [Bool] = (0..<128).map { c in
        let ch = UInt8(c)
        return isUnreserved(ch) || "!$&'()*+,;=:@/?".utf8.contains(ch)
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { hexValue(c) != nil }
    @inline(__always) static func isUnreserved(_ c: UInt8) -> Bool {
        isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~")
    }
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A normalized http(s) URL, in parts.
struct NormalizedURL: Hashable, Sendable {
    var scheme: String
    var host: String
    /// The port when it is not the scheme's default.
    var port: Int?
    /// Normalized, starting with `/`.
    var path: String
    /// Normalized, without `?`; `nil` or empty when there is none.
    var query: String?

    /// `host` or `host:port`.
    var authority: String { port.map { "\(host):\($0)" } ?? host }
    /// `scheme://authority`: robots.txt and politeness are per origin.
    var origin: String { "\(scheme)://\(authority)" }
    /// What robots.txt rules are matched against.
    var pathAndQuery: String {
        if let query, !query.isEmpty { return path + "?" + query }
        return path
    }
    /// The host without a leading `www.`, with the port: `www.x` and `x` are one site.
    var scopeKey: String {
        let h = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        return port.map { "\(h):\($0)" } ?? h
    }
    var string: String { origin + pathAndQuery }
}

/// RFC 3492 punycode encoding of one label (for internationalized host names).
enum Punycode {
    static func encode(_ input: [UInt32]) -> String? {
        let base: UInt32 = 36, tmin: UInt32 = 1, tmax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
        var n: UInt32 = 128, delta: UInt32 = 0, bias: UInt32 = 72
        var output: [UInt8] = input.filter { $0 < 128 }.map { UInt8($0) }
        let b = UInt32(output.count)
        var h = b
        if b > 0 { output.append(UInt8(ascii: "-")) }
        func digit(_ d: UInt32) -> UInt8 { d < 26 ? UInt8(d) + UInt8(ascii: "a") : UInt8(d - 26) + UInt8(ascii: "0") }
        func adapt(_ delta: UInt32, _ numPoints: UInt32, _ first: Bool) -> UInt32 {
            var delta = first ? delta / damp : delta / 2
            delta += delta / numPoints
            var k: UInt32 = 0
            while delta > ((base - tmin) * tmax) / 2 {
                delta /= base - tmin
                k += base
            }
            return k + (base - tmin + 1) * delta / (delta + skew)
        }
        while h < UInt32(input.count) {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (mul, o1) = (m - n).multipliedReportingOverflow(by: h + 1)
            let (sum, o2) = delta.addingReportingOverflow(mul)
            guard !o1, !o2 else { return nil }
            delta = sum
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, h + 1, h == b)
                    delta = 0
                    h += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
