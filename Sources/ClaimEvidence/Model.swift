import Foundation

/// Where a response record lives: a file in the evidence directory and the byte offset of the
/// record's gzip member in it. Seeking to `offset` and inflating one member yields the record.
public struct WARCLocation: Sendable, Hashable, Codable {
    /// File name relative to the evidence directory, e.g. `claimscan-20250101120000123-00000-1a2b3c4d.warc.gz`.
    public var file: String
    /// Byte offset of the gzip member holding the response record.
    public var offset: Int64

    public init(file: String, offset: Int64) {
        self.file = file
        self.offset = offset
    }
}

/// One HTTP fetch as the crawler saw it: what was asked and what came back (body already decoded
/// by libcurl, so any Content-Encoding is no longer applied to `body`).
public struct HTTPExchange: Sendable {
    public var targetURI: String
    /// When the fetch happened (becomes WARC-Date, UTC, microseconds).
    public var date: Date
    /// The server's address, if known (WARC-IP-Address).
    public var ipAddress: String?
    public var requestMethod: String
    /// Request headers as sent. Empty → a minimal request with only `Host` is recorded.
    public var requestHeaders: [(String, String)]
    /// Status-line protocol, e.g. `HTTP/1.1` or `HTTP/2`.
    public var httpVersion: String
    public var statusCode: Int
    /// Nil → a standard phrase for the code (or none).
    public var reasonPhrase: String?
    /// Response headers as received. Content-Encoding / Transfer-Encoding are moved aside and
    /// Content-Length is rewritten when the record is written, so the stored message is self-consistent.
    public var responseHeaders: [(String, String)]
    /// The entity body as received (decoded).
    public var body: [UInt8]
    /// Set when the body was cut short (WARC-Truncated: `length`, `time`, `disconnect`, `unspecified`).
    public var truncated: String?

    public init(
        targetURI: String, date: Date = Date(), ipAddress: String? = nil,
        requestMethod: String = "GET", requestHeaders: [(String, String)] = [],
        httpVersion: String = "HTTP/1.1", statusCode: Int, reasonPhrase: String? = nil,
        responseHeaders: [(String, String)] = [], body: [UInt8], truncated: String? = nil
    ) {
        self.targetURI = targetURI
        self.date = date
        self.ipAddress = ipAddress
        self.requestMethod = requestMethod
        self.requestHeaders = requestHeaders
        self.httpVersion = httpVersion
        self.statusCode = statusCode
        self.reasonPhrase = reasonPhrase
        self.responseHeaders = responseHeaders
        self.body = body
        self.truncated = truncated
    }
}

/// What goes into the metadata record written with each exchange.
public enum WARCMetadata: Sendable {
    /// `application/warc-fields`: one `name: value` line per pair (CR/LF in values become spaces).
    case fields([(String, String)])
    /// `application/json`: the caller's JSON text, stored as UTF-8.
    case json(String)
    /// No metadata record.
    case none
}

/// One WARC record read back from a file.
public struct WARCRecord: Sendable {
    /// Named fields in file order (names as written).
    public var headers: [(String, String)]
    /// The record block: exactly Content-Length bytes.
    public var block: [UInt8]
    /// Offset of the record's gzip member in its file.
    public var offset: Int64
    /// Size of the gzip member in bytes.
    public var memberLength: Int

    public init(headers: [(String, String)], block: [UInt8], offset: Int64, memberLength: Int) {
        self.headers = headers
        self.block = block
        self.offset = offset
        self.memberLength = memberLength
    }

    /// The first field with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }

    /// WARC-Type (`warcinfo`, `response`, `request`, `metadata`, …).
    public var type: String? { header("WARC-Type") }
    /// WARC-Record-ID, including the angle brackets.
    public var recordID: String? { header("WARC-Record-ID") }
    public var targetURI: String? { header("WARC-Target-URI") }

    /// Whether the block is an HTTP message (`application/http` or a request/response record).
    public var isHTTP: Bool {
        if let ct = header("Content-Type")?.lowercased(), ct.hasPrefix("application/http") { return true }
        return type == "response" || type == "request"
    }

    /// For HTTP request/response records: the block after the HTTP header (the entity body).
    public var httpBody: [UInt8]? {
        guard isHTTP, let end = HTTPMessage.headerEnd(block) else { return nil }
        return Array(block[end...])
    }

    /// For HTTP records: the status or request line and the header fields.
    public var httpHead: (startLine: String, headers: [(String, String)])? {
        guard isHTTP, let end = HTTPMessage.headerEnd(block) else { return nil }
        let text = String(decoding: block[..<(end - 4)], as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let start = lines.removeFirst()
        return (start, lines.compactMap(HTTPMessage.splitField))
    }
}

enum HTTPMessage {
    /// Index just past the first CRLFCRLF, or nil.
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var i = 0
        while i + 3 < bytes.count {
            if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i + 4 }
            i += 1
        }
        return nil
    }

    static func splitField(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        return (name, value)
    }

    /// Header values must not break the line structure: CR, LF and other controls become spaces.
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { ($0.value < 0x20 || $0.value == 0x7F) ? " " : $0 }))
    }

    static let reasons: [Int: String] = [
        100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
        203: "Non-Authoritative Information", 204: "No Content", 206: "Partial Content",
        301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
        403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
        408: "Request Timeout", 410: "Gone", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 429: "Too Many Requests",
        451: "Unavailable For Legal Reasons", 500: "Internal Server Error", 501: "Not Implemented",
        502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
