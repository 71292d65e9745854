/// Why a fetch produced no result. HTTP error statuses (4xx, 5xx) are not errors: see ``FetchResult/status``.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// The category of failure.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The URL could not be parsed.
        case invalidURL
        /// The URL (or a redirect target) uses a scheme other than http or https.
        case refusedScheme
        /// The host is (or resolved to) a non-public address and the policy denies it.
        case privateAddress
        /// More redirects than ``FetchPolicy/maxRedirects``.
        case tooManyRedirects
        /// A redirect pointed back to a URL already visited in this chain.
        case redirectLoop
        /// The (decompressed) body exceeded ``FetchPolicy/maxBodyBytes``.
        case bodyTooLarge
        /// The connect or total timeout elapsed.
        case timeout
        /// The transfer stayed below ``FetchPolicy/lowSpeedLimit`` for ``FetchPolicy/lowSpeedTime`` seconds.
        case tooSlow
        /// The host name could not be resolved.
        case dnsFailure
        /// No connection could be made (refused, unreachable).
        case connectFailure
        /// TLS handshake or certificate verification failed.
        case tlsFailure
        /// Any other transfer failure.
        case transfer
    }

    /// The category of failure.
    public var kind: Kind
    /// The URL being fetched when the failure happened (the hop's URL, or the refused redirect target).
    public var url: String
    /// A human-readable explanation.
    public var message: String
    /// The redirect hops followed before the failure, including the one that led to a refused target.
    public var hops: [RedirectHop]

    /// Creates an error.
    public init(kind: Kind, url: String, message: String, hops: [RedirectHop] = []) {
        self.kind = kind
        self.url = url
        self.message = message
        self.hops = hops
    }

    public var description: String {
        "\(kind.rawValue): \(message) (\(url))"
    }
}
