import CCurl

/// A URL parsed by libcurl's own URL parser, so that what is checked is what curl will fetch.
struct CurlURL {
    var scheme: String
    var host: String
    /// The whole URL, normalized by curl, without its fragment.
    var normalized: String

    /// Parses `text`; `nil` when curl cannot parse it (no scheme, bad syntax, no host, …).
    init?(_ text: String) {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        let flags = UInt32(CURLU_NON_SUPPORT_SCHEME)
        guard curl_url_set(handle, CURLUPART_URL, text, flags) == CURLUE_OK else { return nil }
        func get(_ part: CURLUPart) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, part, &out, 0) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        guard let scheme = get(CURLUPART_SCHEME) else { return nil }
        self.scheme = scheme.lowercased()
        self.host = get(CURLUPART_HOST) ?? ""
        _ = curl_url_set(handle, CURLUPART_FRAGMENT, nil, 0)
        self.normalized = get(CURLUPART_URL) ?? text
    }

    /// Whether the scheme is one this fetcher speaks.
    var isHTTP: Bool { scheme == "http" || scheme == "https" }
}
