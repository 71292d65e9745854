import Foundation

/// Serializes WARC 1.1 records and the HTTP blocks inside them.
enum RecordBuilder {
    static func newRecordID() -> String {
        "<urn:uuid:\(UUID().uuidString.lowercased())>"
    }

    /// `YYYY-MM-DDThh:mm:ss.ffffffZ` in UTC (WARC 1.1 allows fractional seconds).
    static func warcDate(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        var micros = Int(((t - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 { seconds += 1; micros -= 1_000_000 }
        var tm = tm()
        gmtime_r(&seconds, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), micros)
    }

    /// `YYYYMMDDhhmmssSSS` for file names.
    static func fileTimestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        let millis = min(999, Int((t - Double(seconds)) * 1000))
        var tm = tm()
        gmtime_r(&seconds, &tm)
        return String(format: "%04d%02d%02d%02d%02d%02d%03d",
                      Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), millis)
    }

    /// A complete record: version line, fields (Content-Length and WARC-Block-Digest added), blank line,
    /// block, and the two CRLFs that end every record.
    static func record(fields: [(String, String)], block: [UInt8]) -> [UInt8] {
        var head = "WARC/1.1\r\n"
        for (name, value) in fields {
            head += "\(name): \(HTTPMessage.clean(value))\r\n"
        }
        head += "WARC-Block-Digest: \(WARCDigest.sha256(block))\r\n"
        head += "Content-Length: \(block.count)\r\n\r\n"
        var out = Array(head.utf8)
        out.reserveCapacity(out.count + block.count + 4)
        out.append(contentsOf: block)
        out.append(contentsOf: [13, 10, 13, 10])
        return out
    }

    /// `application/warc-fields` text.
    static func warcFields(_ pairs: [(String, String)]) -> [UInt8] {
        var s = ""
        for (name, value) in pairs {
            s += "\(HTTPMessage.clean(name)): \(HTTPMessage.clean(value))\r\n"
        }
        return Array(s.utf8)
    }

    /// The HTTP request as sent; without headers, a minimal one with `Host`.
    static func requestBlock(_ ex: HTTPExchange) -> [UInt8] {
        let comps = URLComponents(string: ex.targetURI)
        var target = comps?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let q = comps?.percentEncodedQuery { target += "?" + q }
        var host = comps?.percentEncodedHost ?? ""
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        if let port = comps?.port { host += ":\(port)" }
        var headers = ex.requestHeaders
        if !headers.contains(where: { $0.0.lowercased() == "host" }) && !host.isEmpty {
            headers.insert(("Host", host), at: 0)
        }
        let version = ex.httpVersion.hasPrefix("HTTP/2") || ex.httpVersion.hasPrefix("HTTP/3") ? "HTTP/1.1" : ex.httpVersion
        var s = "\(HTTPMessage.clean(ex.requestMethod)) \(HTTPMessage.clean(target)) \(version)\r\n"
        for (n, v) in headers { s += "\(HTTPMessage.clean(n)): \(HTTPMessage.clean(v))\r\n" }
        s += "\r\n"
        return Array(s.utf8)
    }

    /// Status line + rewritten headers + CRLF + body. Returns the block and the offset where the body starts.
    static func responseBlock(_ ex: HTTPExchange) -> (block: [UInt8], bodyStart: Int) {
        var headers: [(String, String)] = []
        var moved: [(String, String)] = []
        var originalLength: String?
        for (name, value) in ex.responseHeaders {
            switch name.lowercased() {
            case "content-encoding":
                // libcurl already decoded the body; an identity coding is harmless to drop too.
                moved.append(("X-Claimscan-Original-Content-Encoding", value))
            case "transfer-encoding":
                moved.append(("X-Claimscan-Original-Transfer-Encoding", value))
            case "content-length":
                originalLength = value
            default:
                headers.append((name, value))
            }
        }
        if let originalLength, originalLength.trimmingCharacters(in: .whitespaces) != String(ex.body.count) {
            moved.append(("X-Claimscan-Original-Content-Length", originalLength))
        }
        headers.append(contentsOf: moved)
        headers.append(("Content-Length", String(ex.body.count)))
        let reason = ex.reasonPhrase ?? HTTPMessage.reasons[ex.statusCode] ?? ""
        var s = "\(HTTPMessage.clean(ex.httpVersion)) \(ex.statusCode) \(HTTPMessage.clean(reason))\r\n"
        for (n, v) in headers { s += "\(HTTPMessage.clean(n)): \(HTTPMessage.clean(v))\r\n" }
        s += "\r\n"
        var block = Array(s.utf8)
        let start = block.count
        block.append(contentsOf: ex.body)
        return (block, start)
    }
}
