/// Limits and rules for one ``Fetcher``. Every limit applies to each redirect hop separately.
public struct FetchPolicy: Sendable, Hashable {
    /// Seconds allowed to establish the TCP (and TLS) connection.
    public var connectTimeout: Double = 10
    /// Seconds allowed for one whole request/response, per redirect hop.
    public var totalTimeout: Double = 30
    /// Bytes per second below which a transfer counts as too slow …
    public var lowSpeedLimit: Int = 1024
    /// … for this many seconds in a row, after which it is aborted (``FetchError/Kind/tooSlow``).
    public var lowSpeedTime: Int = 15
    /// Redirects followed before giving up with ``FetchError/Kind/tooManyRedirects``.
    public var maxRedirects: Int = 5
    /// Largest body accepted, counted after decompression while receiving (``FetchError/Kind/bodyTooLarge``).
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Whether private, loopback and other non-public addresses may be contacted.
    public var privateNetwork: PrivateNetworkAccess = .deny
    /// The `User-Agent` request header.
    public var userAgent: String = Fetcher.defaultUserAgent

    /// Test hook: skip the check of IP-literal hosts before connecting, so that only the
    /// resolved-address check in the open-socket callback guards the connection.
    var skipLiteralHostPrecheck = false

    /// A policy with the defaults above.
    public init() {}
}
