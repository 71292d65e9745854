import CCurl
import Crypto
import Foundation

/// One libcurl easy handle configured by a ``FetchPolicy``, for engines that drive transfers
/// themselves (e.g. through libcurl's multi interface) instead of calling ``Fetcher/fetch(_:)-(String)``.
///
/// The handle follows the same rules as ``Fetcher``: http and https only, no proxy, the
/// policy's connect/total timeouts and low-speed abort, the body limit enforced while
/// receiving (after decompression), TLS verified, the policy's User-Agent, and every
/// resolved address checked against ``FetchPolicy/privateNetwork`` before a socket is opened.
/// Redirects are not followed unless ``prepare(url:headers:followRedirects:)`` asks for it.
///
/// The handle can be reused for many requests (``prepare(url:headers:followRedirects:)``
/// before each). Not thread-safe: use it from one thread at a time. Keep the object alive
/// while its ``handle`` is added to a multi handle.
public final class EasyTransfer {
    /// The `CURL *` easy handle, to add to a multi handle.
    public let handle: UnsafeMutableRawPointer
    /// The policy the handle was configured with.
    public let policy: FetchPolicy
    let context: TransferContext
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var url = ""

    /// Creates and configures an easy handle; initializes libcurl globally on first use.
    ///
    /// - Parameter captureRequestHead: keep the request head curl sends (``requestHeaders``),
    ///   at the cost of a debug callback per chunk.
    public init(policy: FetchPolicy, captureRequestHead: Bool = true) throws(FetchError) {
        guard CurlGlobal.initialized == CURLE_OK else {
            throw FetchError(kind: .transfer, url: "", message: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw FetchError(kind: .transfer, url: "", message: "curl_easy_init failed")
        }
        self.handle = handle
        self.policy = policy
        self.context = TransferContext(maxBodyBytes: policy.maxBodyBytes, access: policy.privateNetwork)
        do {
            try Fetcher.configure(handle, policy: policy, context: context, requestHeaders: nil,
                                  captureRequestHead: captureRequestHead)
        } catch {
            curl_easy_cleanup(handle)
            throw error
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// Checks `url` the way ``Fetcher`` does before contacting anything: it must parse, use
    /// http or https, and, if its host is an IP literal, be allowed by `policy`.
    public static func check(_ url: String, policy: FetchPolicy) throws(FetchError) {
        _ = try Fetcher.checkedTarget(url, policy: policy, hops: [])
    }

    /// Sets up the next request: checks `url` (see ``check(_:policy:)``), clears the previous
    /// response, sets extra request header lines (`"Name: value"`), and whether curl itself
    /// may follow up to `followRedirects` redirects (0: none; every hop still goes through
    /// the address check).
    public func prepare(url: String, headers: [String] = [], followRedirects: Int = 0) throws(FetchError) {
        try Self.check(url, policy: policy)
        context.reset()
        self.url = url
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        for line in headers { headerList = curl_slist_append(headerList, line) }
        _ = cs_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = cs_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, followRedirects > 0 ? 1 : 0)
        _ = cs_easy_setopt_long(handle, CURLOPT_MAXREDIRS, followRedirects)
        _ = cs_easy_setopt_str(handle, CURLOPT_URL, url)
    }

    /// The URL of the current request.
    public var requestedURL: String { url }

    /// The HTTP status of the last response (0 if none).
    public var status: Int {
        var value = 0
        _ = cs_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value)
        return value
    }

    /// The last response's headers, in order.
    public var responseHeaders: [ResponseHeader] { context.headers }

    /// The body received so far (decoded); the transfer's copy is released.
    public func takeBody() -> [UInt8] {
        let body = context.body
        context.body = []
        return body
    }

    /// The IP address of the server.
    public var serverIP: String? { string(CURLINFO_PRIMARY_IP) }

    /// For a redirect response, the absolute target curl resolved from `Location`.
    public var redirectURL: String? { string(CURLINFO_REDIRECT_URL) }

    /// The URL of the last response (differs from ``requestedURL`` when curl followed redirects).
    public var effectiveURL: String? { string(CURLINFO_EFFECTIVE_URL) }

    /// The header lines of the last request sent (without the request line), as curl sent them;
    /// empty unless the transfer was created with `captureRequestHead`.
    public var requestHeaders: [(String, String)] {
        let text = String(decoding: context.requestHead, as: UTF8.self)
        var out: [(String, String)] = []
        for (i, line) in text.split(separator: "\r\n", omittingEmptySubsequences: true).enumerated() where i > 0 {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out.append((String(line[..<colon]).trimmed, String(line[line.index(after: colon)...]).trimmed))
        }
        return out
    }

    /// The request line of the last request sent (`GET /path HTTP/1.1`), if captured.
    public var requestLine: String? {
        let text = String(decoding: context.requestHead, as: UTF8.self)
        return text.split(separator: "\r\n").first.map(String.init)
    }

    /// The ``FetchError`` for a failed transfer's result code, classified as ``Fetcher`` does
    /// (an address refused by the socket check, the body limit, timeouts, too slow, …).
    public func error(for code: CURLcode) -> FetchError {
        Fetcher(policy: policy).mapError(code, context: context, url: url, hops: [])
    }

    private func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard cs_easy_getinfo_str(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// Content digests, as recorded with every fetched body.
public enum BodyDigest {
    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexString
    }
}
