import CCurl
import Crypto
import Foundation

/// Fetches one web page carefully: http(s) only, public addresses only, explicit limits,
/// redirects followed by hand and recorded.
///
/// Each fetch uses its own libcurl easy handle, so one `Fetcher` can be used from many
/// threads at once. ``fetch(_:)-(String)`` blocks the calling thread; from async code use
/// the `async` overload, which runs the transfer on a thread of its own.
public struct Fetcher: Sendable {
    /// The claimscan version sent in the default User-Agent.
    public static let version = "0.1"
    /// `claimscan/<version> (+advertising-compliance scanner)`.
    public static let defaultUserAgent = "claimscan/\(version) (+advertising-compliance scanner)"

    /// The policy every fetch of this fetcher follows.
    public let policy: FetchPolicy

    /// Creates a fetcher; initializes libcurl globally on first use.
    public init(policy: FetchPolicy = .init()) {
        self.policy = policy
        _ = CurlGlobal.initialized
    }

    /// Fetches `url`, following redirects as the policy allows; blocks until done.
    ///
    /// - Returns: the final response, whatever its HTTP status.
    /// - Throws: ``FetchError`` when the policy refuses the URL or a redirect target, a limit
    ///   is hit, or the transfer fails.
    public func fetch(_ url: String) throws(FetchError) -> FetchResult {
        guard CurlGlobal.initialized == CURLE_OK else {
            throw FetchError(kind: .transfer, url: url, message: "curl_global_init failed")
        }
        guard let handle = curl_easy_init() else {
            throw FetchError(kind: .transfer, url: url, message: "curl_easy_init failed")
        }
        let requestHeaders = curl_slist_append(nil, "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        defer {
            curl_easy_cleanup(handle)
            curl_slist_free_all(requestHeaders)
        }
        let context = TransferContext(maxBodyBytes: policy.maxBodyBytes, access: policy.privateNetwork)
        return try withExtendedLifetime(context) { () throws(FetchError) -> FetchResult in
            try configure(handle, context: context, requestHeaders: requestHeaders)
            return try follow(url, handle: handle, context: context)
        }
    }

    /// Fetches `url` on a dedicated thread, so the cooperative thread pool is never blocked.
    ///
    /// Same behaviour as the synchronous ``fetch(_:)-(String)``.
    public func fetch(_ url: String) async throws(FetchError) -> FetchResult {
        let result: Result<FetchResult, FetchError> = await withCheckedContinuation { continuation in
            let fetcher = self
            let thread = Thread {
                continuation.resume(returning: Result { () throws(FetchError) in try fetcher.fetch(url) })
            }
            thread.name = "claimscan-fetch"
            thread.start()
        }
        return try result.get()
    }

    // MARK: - Redirect loop

    private func follow(_ url: String, handle: UnsafeMutableRawPointer, context: TransferContext) throws(FetchError) -> FetchResult {
        var hops: [RedirectHop] = []
        var current = try checkedTarget(url, hops: hops)
        var seen: Set<String> = [current.normalized]
        var currentText = url

        while true {
            context.reset()
            setString(handle, CURLOPT_URL, currentText)
            let code = curl_easy_perform(handle)
            if code != CURLE_OK {
                throw mapError(code, context: context, url: currentText, hops: hops)
            }
            let status = getLong(handle, CURLINFO_RESPONSE_CODE)
            let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]
            if redirectStatuses.contains(status), let location = getString(handle, CURLINFO_REDIRECT_URL) {
                hops.append(RedirectHop(url: currentText, status: status, location: location))
                let next = try checkedTarget(location, hops: hops)
                if seen.contains(next.normalized) {
                    throw FetchError(
                        kind: .redirectLoop, url: location,
                        message: "redirect loop: \(location) was already visited in this chain", hops: hops)
                }
                if hops.count > policy.maxRedirects {
                    throw FetchError(
                        kind: .tooManyRedirects, url: location,
                        message: "more than \(policy.maxRedirects) redirects", hops: hops)
                }
                seen.insert(next.normalized)
                current = next
                currentText = location
                continue
            }
            let body = context.body
            return FetchResult(
                requestedURL: url,
                finalURL: getString(handle, CURLINFO_EFFECTIVE_URL) ?? currentText,
                status: status,
                headers: context.headers,
                hops: hops,
                serverIP: getString(handle, CURLINFO_PRIMARY_IP),
                fetchedAt: Date(),
                body: body,
                sha256: SHA256.hash(data: body).hexString
            )
        }
    }

    /// Parses `text` and applies the scheme rule and, for IP-literal hosts, the address rule.
    private func checkedTarget(_ text: String, hops: [RedirectHop]) throws(FetchError) -> CurlURL {
        try Self.checkedTarget(text, policy: policy, hops: hops)
    }

    /// Parses `text` and applies the scheme rule and, for IP-literal hosts, `policy`'s address rule.
    static func checkedTarget(_ text: String, policy: FetchPolicy, hops: [RedirectHop]) throws(FetchError) -> CurlURL {
        guard let url = CurlURL(text) else {
            throw FetchError(kind: .invalidURL, url: text, message: "not a valid absolute URL", hops: hops)
        }
        guard url.isHTTP else {
            throw FetchError(
                kind: .refusedScheme, url: text,
                message: "refused: scheme \"\(url.scheme)\" is not allowed; only http and https are fetched",
                hops: hops)
        }
        if !policy.skipLiteralHostPrecheck, AddressClassifier.isIPLiteral(url.host),
           let reason = policy.privateNetwork.refusalReason(for: url.host) {
            let ip = AddressClassifier.canonical(url.host) ?? url.host
            throw FetchError(kind: .privateAddress, url: text, message: Self.privateMessage(ip, reason), hops: hops)
        }
        return url
    }

    static func privateMessage(_ ip: String, _ reason: String) -> String {
        "refused: \(ip) (\(reason)) is not a public address; pass --allow-private-network to allow"
    }

    // MARK: - libcurl options

    private func configure(_ h: UnsafeMutableRawPointer, context: TransferContext, requestHeaders: UnsafeMutablePointer<curl_slist>?) throws(FetchError) {
        try Self.configure(h, policy: policy, context: context, requestHeaders: requestHeaders, captureRequestHead: false)
    }

    /// Applies `policy` to an easy handle: protocols, no proxy, no automatic redirects, timeouts,
    /// low-speed abort, body limit, TLS verification, User-Agent, and the callbacks (body limit
    /// after decompression, headers, address check on every socket) bound to `context`.
    static func configure(
        _ h: UnsafeMutableRawPointer, policy: FetchPolicy, context: TransferContext,
        requestHeaders: UnsafeMutablePointer<curl_slist>?, captureRequestHead: Bool
    ) throws(FetchError) {
        let me = Unmanaged.passUnretained(context).toOpaque()
        var failures: [String] = []
        func check(_ code: CURLcode, _ name: String) {
            if code != CURLE_OK { failures.append("\(name): \(String(cString: curl_easy_strerror(code)))") }
        }
        // Protocols: http(s) only, also for anything curl might follow by itself.
        check(cs_easy_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR")
        check(cs_easy_setopt_str(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "REDIR_PROTOCOLS_STR")
        check(cs_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        // Never let environment proxies route around the address policy.
        check(cs_easy_setopt_str(h, CURLOPT_PROXY, ""), "PROXY")
        // Limits.
        check(cs_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(policy.connectTimeout)), "CONNECTTIMEOUT_MS")
        check(cs_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, Self.milliseconds(policy.totalTimeout)), "TIMEOUT_MS")
        check(cs_easy_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, policy.lowSpeedLimit), "LOW_SPEED_LIMIT")
        check(cs_easy_setopt_long(h, CURLOPT_LOW_SPEED_TIME, policy.lowSpeedTime), "LOW_SPEED_TIME")
        check(cs_easy_setopt_off(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxBodyBytes)), "MAXFILESIZE_LARGE")
        check(cs_easy_setopt_str(h, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING")
        check(cs_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        // TLS.
        check(cs_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
        check(cs_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")
        // Request.
        check(cs_easy_setopt_str(h, CURLOPT_USERAGENT, policy.userAgent), "USERAGENT")
        check(cs_easy_setopt_slist(h, CURLOPT_HTTPHEADER, requestHeaders), "HTTPHEADER")
        // Callbacks and their context.
        check(cs_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, context.errorBuffer), "ERRORBUFFER")
        check(cs_easy_setopt_write(h, TransferContext.write), "WRITEFUNCTION")
        check(cs_easy_setopt_ptr(h, CURLOPT_WRITEDATA, me), "WRITEDATA")
        check(cs_easy_setopt_header(h, TransferContext.header), "HEADERFUNCTION")
        check(cs_easy_setopt_ptr(h, CURLOPT_HEADERDATA, me), "HEADERDATA")
        check(cs_easy_setopt_opensocket(h, TransferContext.openSocket), "OPENSOCKETFUNCTION")
        check(cs_easy_setopt_ptr(h, CURLOPT_OPENSOCKETDATA, me), "OPENSOCKETDATA")
        if captureRequestHead {
            check(cs_easy_setopt_debug(h, TransferContext.debug), "DEBUGFUNCTION")
            check(cs_easy_setopt_ptr(h, CURLOPT_DEBUGDATA, me), "DEBUGDATA")
            check(cs_easy_setopt_long(h, CURLOPT_VERBOSE, 1), "VERBOSE")
        }
        if !failures.isEmpty {
            throw FetchError(kind: .transfer, url: "", message: "libcurl refused options: " + failures.joined(separator: "; "))
        }
    }

    static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    private func setString(_ h: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) {
        _ = cs_easy_setopt_str(h, option, value)
    }

    private func getLong(_ h: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int {
        var value = 0
        _ = cs_easy_getinfo_long(h, info, &value)
        return value
    }

    private func getString(_ h: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard cs_easy_getinfo_str(h, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    // MARK: - Errors

    func mapError(_ code: CURLcode, context: TransferContext, url: String, hops: [RedirectHop]) -> FetchError {
        let detail = context.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : context.errorText
        let curlText = "\(detail) (curl error \(code.rawValue))"
        func error(_ kind: FetchError.Kind, _ message: String) -> FetchError {
            FetchError(kind: kind, url: url, message: message, hops: hops)
        }
        if let refused = context.refusedAddress {
            return error(.privateAddress, Self.privateMessage(refused.ip, refused.reason))
        }
        switch code {
        case CURLE_WRITE_ERROR where context.bodyLimitHit, CURLE_FILESIZE_EXCEEDED:
            return error(.bodyTooLarge, "body larger than the limit of \(policy.maxBodyBytes) bytes; transfer aborted")
        case CURLE_OPERATION_TIMEDOUT:
            if detail.localizedCaseInsensitiveContains("too slow") {
                return error(.tooSlow, "slower than \(policy.lowSpeedLimit) bytes/s for \(policy.lowSpeedTime) s: \(curlText)")
            }
            return error(.timeout, curlText)
        case CURLE_COULDNT_RESOLVE_HOST:
            return error(.dnsFailure, curlText)
        case CURLE_COULDNT_CONNECT:
            return error(.connectFailure, curlText)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return error(.tlsFailure, curlText)
        case CURLE_UNSUPPORTED_PROTOCOL:
            return error(.refusedScheme, curlText)
        case CURLE_URL_MALFORMAT:
            return error(.invalidURL, curlText)
        default:
            return error(.transfer, curlText)
        }
    }
}

/// `curl_global_init`, run exactly once before the first easy handle is created.
enum CurlGlobal {
    static let initialized: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}

extension Digest {
    /// Lower-case hex, without `String(format:)` per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
