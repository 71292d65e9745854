import Foundation

/// One redirect response that was followed.
public struct RedirectHop: Sendable, Codable, Hashable {
    /// The URL that answered with a redirect.
    public var url: String
    /// The redirect status (301, 302, 303, 307 or 308).
    public var status: Int
    /// The redirect target, resolved against ``url`` to an absolute URL.
    public var location: String

    /// Creates a hop.
    public init(url: String, status: Int, location: String) {
        self.url = url
        self.status = status
        self.location = location
    }
}

/// One response header line, as received.
public struct ResponseHeader: Sendable, Codable, Hashable {
    /// The header name, in the case the server sent it.
    public var name: String
    /// The header value, with surrounding whitespace removed.
    public var value: String

    /// Creates a header.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The final response of a fetch, after any redirects.
public struct FetchResult: Sendable {
    /// The URL passed to ``Fetcher/fetch(_:)``.
    public var requestedURL: String
    /// The URL of the final response.
    public var finalURL: String
    /// The HTTP status of the final response; 4xx and 5xx are returned here, not thrown.
    public var status: Int
    /// The final response's headers, in order.
    public var headers: [ResponseHeader]
    /// The redirects followed, in order.
    public var hops: [RedirectHop]
    /// The IP address of the server that sent the final response.
    public var serverIP: String?
    /// When the final response was received.
    public var fetchedAt: Date
    /// The body as received, after content decoding (gzip, deflate).
    public var body: [UInt8]
    /// Lowercase hex SHA-256 of ``body``.
    public var sha256: String

    /// The `Content-Type` header value, if any.
    public var contentType: String? { header("Content-Type") }

    /// The value of the first header called `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Creates a result.
    public init(
        requestedURL: String, finalURL: String, status: Int, headers: [ResponseHeader],
        hops: [RedirectHop], serverIP: String?, fetchedAt: Date, body: [UInt8], sha256: String
    ) {
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.hops = hops
        self.serverIP = serverIP
        self.fetchedAt = fetchedAt
        self.body = body
        self.sha256 = sha256
    }
}
