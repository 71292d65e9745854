import CCurl
import Glibc
import Testing
@testable import ClaimFetch

/// Pieces of the fetcher that need no traffic.
@Suite struct FetcherUnitTests {
    func feed(_ context: TransferContext, _ lines: [String]) {
        for line in lines {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { context.receiveHeaderLine(UnsafeRawBufferPointer($0)) }
        }
    }

    @Test func headerBlockResetsOnEachStatusLine() {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        feed(context, ["HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
                       "HTTP/1.1 200 OK\r\n", "Content-Type:  text/html \r\n", "X-Folded: a\r\n", "\t b\r\n",
                       "set-cookie: x=1\r\n", "Set-Cookie: y=2\r\n", "\r\n"])
        #expect(context.headers == [
            ResponseHeader(name: "Content-Type", value: "text/html"),
            ResponseHeader(name: "X-Folded", value: "a b"),
            ResponseHeader(name: "set-cookie", value: "x=1"),
            ResponseHeader(name: "Set-Cookie", value: "y=2"),
        ])
        feed(context, ["HTTP/2 301\r\n", "location: /next\r\n"])
        #expect(context.headers == [ResponseHeader(name: "location", value: "/next")])
    }

    @Test func headerLatin1BytesSurvive() {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        var bytes: [UInt8] = Array("X-Name: caf".utf8) + [0xE9] + Array("\r\n".utf8)
        bytes.withUnsafeMutableBytes { context.receiveHeaderLine(UnsafeRawBufferPointer($0)) }
        #expect(context.headers == [ResponseHeader(name: "X-Name", value: "café")])
    }

    @Test(arguments: [
        (CURLE_COULDNT_RESOLVE_HOST, FetchError.Kind.dnsFailure),
        (CURLE_COULDNT_CONNECT, .connectFailure),
        (CURLE_OPERATION_TIMEDOUT, .timeout),
        (CURLE_SSL_CONNECT_ERROR, .tlsFailure),
        (CURLE_PEER_FAILED_VERIFICATION, .tlsFailure),
        (CURLE_SSL_CACERT_BADFILE, .tlsFailure),
        (CURLE_FILESIZE_EXCEEDED, .bodyTooLarge),
        (CURLE_WRITE_ERROR, .transfer),  // not the body limit: a plain transfer error
        (CURLE_UNSUPPORTED_PROTOCOL, .refusedScheme),
        (CURLE_RECV_ERROR, .transfer),
    ])
    func curlCodesMapToKinds(code: CURLcode, kind: FetchError.Kind) {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        let error = Fetcher().mapError(code, context: context, url: "http://x/", hops: [])
        #expect(error.kind == kind)
        #expect(error.message.contains("curl error \(code.rawValue)") || kind == .bodyTooLarge)
    }

    @Test func refusedAddressWinsOverConnectError() {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        context.refusedAddress = ("::1", "loopback")
        let error = Fetcher().mapError(CURLE_COULDNT_CONNECT, context: context, url: "http://localhost/", hops: [])
        #expect(error.kind == .privateAddress)
        #expect(error.message == "refused: ::1 (loopback) is not a public address; pass --allow-private-network to allow")
    }

    @Test func lowSpeedTimeoutIsTooSlow() {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        let text = "Operation too slow. Less than 1024 bytes/sec transferred the last 1 seconds"
        text.withCString { source in _ = strcpy(context.errorBuffer, source) }
        let error = Fetcher().mapError(CURLE_OPERATION_TIMEDOUT, context: context, url: "http://x/", hops: [])
        #expect(error.kind == .tooSlow)
    }

    @Test func bodyLimitWriteErrorIsBodyTooLarge() {
        let context = TransferContext(maxBodyBytes: 10, access: .deny)
        context.bodyLimitHit = true
        let error = Fetcher().mapError(CURLE_WRITE_ERROR, context: context, url: "http://x/", hops: [])
        #expect(error.kind == .bodyTooLarge)
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let policy = FetchPolicy()
        #expect(policy.connectTimeout == 10)
        #expect(policy.totalTimeout == 30)
        #expect(policy.lowSpeedLimit == 1024)
        #expect(policy.lowSpeedTime == 15)
        #expect(policy.maxRedirects == 5)
        #expect(policy.maxBodyBytes == 10 * 1024 * 1024)
        #expect(policy.privateNetwork == .deny)
        #expect(policy.userAgent == "claimscan/\(Fetcher.version) (+advertising-compliance scanner)")
        #expect(Fetcher.milliseconds(1.5) == 1500)
    }

    @Test func errorDescription() {
        let error = FetchError(kind: .refusedScheme, url: "file:///etc/passwd", message: "nope")
        #expect(error.description == "refusedScheme: nope (file:///etc/passwd)")
    }
}
