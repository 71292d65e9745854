import Foundation
import Testing
import TestSupport
@testable import ClaimFetch

/// A policy that lets the tests reach their own loopback server and nothing else private.
///
/// The timeouts only stop a fetch that would hang: the loopback server answers from the
/// cooperative pool, which a busy two-core CI machine can leave waiting for seconds. Tests
/// of the timeouts themselves set their own.
func loopbackPolicy(_ change: (inout FetchPolicy) -> Void = { _ in }) -> FetchPolicy {
    var policy = FetchPolicy()
    policy.privateNetwork = .allow(["127.0.0.1"])
    policy.connectTimeout = 30
    policy.totalTimeout = 60
    change(&policy)
    return policy
}

/// Runs `body` against a fresh loopback server, stopping it afterwards.
func withServer<T>(
    _ routes: [String: LoopbackRoute], _ body: (LoopbackServer) async throws -> T
) async throws -> T {
    let server = try await LoopbackServer.start(routes)
    do {
        let value = try await body(server)
        await server.stop()
        return value
    } catch {
        await server.stop()
        throw error
    }
}

/// The error a fetch threw, or `nil` (recorded as a test failure) if it succeeded.
func fetchError(_ fetcher: Fetcher, _ url: String, sourceLocation: SourceLocation = #_sourceLocation) async -> FetchError? {
    do {
        let result = try await fetcher.fetch(url)
        Issue.record("expected an error, got status \(result.status) from \(result.finalURL)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite struct FetcherTests {
    static let page = "<html><body>报名不过 全额退费</body></html>"
    static let pageSHA256 = "5d1c81e366d11ed6ba604a2d2d258fb68d8356d6a4397ea7270ecaee7cfef4bf"

    @Test func okWithHeadersBodyAndHash() async throws {
        try await withServer([
            "/page": .respond(headers: [("Content-Type", "text/html; charset=utf-8"), ("X-Test", "one")],
                              body: Array(Self.page.utf8)),
        ]) { server in
            let before = Date()
            let result = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/page"))
            #expect(result.status == 200)
            #expect(result.requestedURL == server.url("/page"))
            #expect(result.finalURL == server.url("/page"))
            #expect(result.hops.isEmpty)
            #expect(result.body == Array(Self.page.utf8))
            #expect(result.sha256 == Self.pageSHA256)
            #expect(result.contentType == "text/html; charset=utf-8")
            #expect(result.header("x-test") == "one")
            #expect(result.header("X-TEST") == "one")
            #expect(result.header("Content-Length") == "51")
            #expect(result.header("Nope") == nil)
            #expect(result.headers.contains(ResponseHeader(name: "X-Test", value: "one")))
            #expect(result.serverIP == "127.0.0.1")
            #expect(result.fetchedAt >= before && result.fetchedAt <= Date())
        }
    }

    @Test func userAgentAndAcceptEncodingSeenByServer() async throws {
        try await withServer(["/": .html("hi")]) { server in
            _ = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/"))
            let request = try #require(server.requests.first)
            #expect(request.header("User-Agent") == "claimscan/0.1 (+advertising-compliance scanner)")
            #expect(request.header("User-Agent") == Fetcher.defaultUserAgent)
            #expect(request.header("Accept-Encoding")?.contains("gzip") == true)

            _ = try await Fetcher(policy: loopbackPolicy { $0.userAgent = "custom/9" }).fetch(server.url("/"))
            #expect(server.requests.last?.header("User-Agent") == "custom/9")
        }
    }

    @Test func redirectChainOfThreeHops() async throws {
        try await withServer([
            "/a": .redirect(to: "/b", status: 301),
            "/b": .redirect(to: "c", status: 302),  // relative to /b
            "/c": .redirect(to: "/final?x=1", status: 308),
            "/final": .respond(headers: [("X-Final", "yes")], body: Array("done".utf8)),
        ]) { server in
            let result = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/a"))
            #expect(result.status == 200)
            #expect(result.requestedURL == server.url("/a"))
            #expect(result.finalURL == server.url("/final?x=1"))
            #expect(result.body == Array("done".utf8))
            #expect(result.hops == [
                RedirectHop(url: server.url("/a"), status: 301, location: server.url("/b")),
                RedirectHop(url: server.url("/b"), status: 302, location: server.url("/c")),
                RedirectHop(url: server.url("/c"), status: 308, location: server.url("/final?x=1")),
            ])
            // Headers are the final response's only, not the redirects'.
            #expect(result.header("X-Final") == "yes")
            #expect(result.header("Location") == nil)
        }
    }

    @Test func redirectLoop() async throws {
        try await withServer([
            "/a": .redirect(to: "/b"),
            "/b": .redirect(to: "/a"),
        ]) { server in
            let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), server.url("/a")))
            #expect(error.kind == .redirectLoop)
            #expect(error.hops.map(\.url) == [server.url("/a"), server.url("/b")])
            #expect(error.url == server.url("/a"))
        }
    }

    @Test func tooManyRedirects() async throws {
        var routes: [String: LoopbackRoute] = [:]
        for i in 0..<10 { routes["/r\(i)"] = .redirect(to: "/r\(i + 1)") }
        routes["/r10"] = .html("end")
        try await withServer(routes) { server in
            let limited = Fetcher(policy: loopbackPolicy { $0.maxRedirects = 3 })
            let error = try #require(await fetchError(limited, server.url("/r0")))
            #expect(error.kind == .tooManyRedirects)
            #expect(error.hops.count == 4)
            #expect(error.message.contains("3"))
            // Exactly at the limit is fine.
            let result = try await limited.fetch(server.url("/r7"))
            #expect(result.hops.count == 3)
            #expect(result.status == 200)
        }
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/pub/x", "gopher://127.0.0.1/1"])
    func redirectToOtherSchemeRefused(target: String) async throws {
        try await withServer(["/go": .redirect(to: target)]) { server in
            let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), server.url("/go")))
            #expect(error.kind == .refusedScheme)
            #expect(error.url == target)
            #expect(error.message.contains("only http and https"))
            #expect(error.hops == [RedirectHop(url: server.url("/go"), status: 302, location: target)])
        }
    }

    @Test func redirectToPrivateAddressRefused() async throws {
        try await withServer(["/go": .redirect(to: "http://127.0.0.2/admin")]) { server in
            let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), server.url("/go")))
            #expect(error.kind == .privateAddress)
            #expect(error.message == "refused: 127.0.0.2 (loopback) is not a public address; pass --allow-private-network to allow")
            #expect(error.hops.count == 1)
        }
    }

    /// Same redirect, but with the literal-host pre-check off: the open-socket callback alone must refuse it.
    @Test func redirectToPrivateAddressRefusedAtSocket() async throws {
        try await withServer([:]) { server in
            server.setRoute("/go", .redirect(to: "http://127.0.0.2:\(server.port)/admin"))
            let policy = loopbackPolicy { $0.skipLiteralHostPrecheck = true }
            let error = try #require(await fetchError(Fetcher(policy: policy), server.url("/go")))
            #expect(error.kind == .privateAddress)
            #expect(error.message.hasPrefix("refused: 127.0.0.2 (loopback) is not a public address"))
        }
    }

    @Test func localhostRefusedByResolvedAddress() async throws {
        try await withServer(["/": .html("secret")]) { server in
            let error = try #require(await fetchError(Fetcher(), "http://localhost:\(server.port)/"))
            #expect(error.kind == .privateAddress)
            #expect(error.message.contains("(loopback) is not a public address; pass --allow-private-network to allow"))
            #expect(server.requests.isEmpty)
        }
    }

    @Test func literalLoopbackRefusedBeforeConnecting() async throws {
        try await withServer(["/": .html("secret")]) { server in
            let error = try #require(await fetchError(Fetcher(), server.url("/")))
            #expect(error.kind == .privateAddress)
            #expect(error.message == "refused: 127.0.0.1 (loopback) is not a public address; pass --allow-private-network to allow")
            #expect(server.requests.isEmpty)
            // The same URL is fetched once the policy allows it.
            let result = try await Fetcher(policy: loopbackPolicy { $0.privateNetwork = .allowAll }).fetch(server.url("/"))
            #expect(result.status == 200)
        }
    }

    /// Other spellings of loopback addresses are refused too (before or at connect time).
    @Test(arguments: ["[::1]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:0:0:1]", "2130706433", "0x7f000001", "127.1", "0177.0.0.1"])
    func loopbackSpellingsRefused(host: String) async throws {
        try await withServer(["/": .html("secret")]) { server in
            let error = try #require(await fetchError(Fetcher(), "http://\(host):\(server.port)/"))
            #expect(error.kind == .privateAddress)
            #expect(error.message.contains("loopback"))
            #expect(server.requests.isEmpty)
        }
    }

    @Test func redirectStatusWithoutLocationIsAResult() async throws {
        try await withServer(["/r": .respond(status: 302, body: Array("no location".utf8))]) { server in
            let result = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/r"))
            #expect(result.status == 302)
            #expect(result.hops.isEmpty)
        }
    }

    @Test func httpsToAPlainHTTPServerIsTLSFailure() async throws {
        try await withServer(["/": .html("plain")]) { server in
            let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), "https://127.0.0.1:\(server.port)/"))
            #expect(error.kind == .tlsFailure)
        }
    }

    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1:70/1", "ftp://127.0.0.1/", "dict://127.0.0.1/d:x"])
    func otherSchemesRefusedUpFront(url: String) async throws {
        let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy { $0.privateNetwork = .allowAll }), url))
        #expect(error.kind == .refusedScheme)
        #expect(error.hops.isEmpty)
    }

    @Test(arguments: ["not a url", "127.0.0.1/no-scheme", "http://", ""])
    func invalidURL(url: String) async throws {
        let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), url))
        #expect(error.kind == .invalidURL)
    }

    @Test(arguments: [404, 500])
    func httpErrorsAreResults(status: Int) async throws {
        try await withServer(["/x": .respond(status: status, body: Array("oops".utf8))]) { server in
            let result = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/x"))
            #expect(result.status == status)
            #expect(result.body == Array("oops".utf8))
        }
    }

    @Test func stallingServerHitsTotalTimeout() async throws {
        try await withServer(["/slow": .stall(seconds: 60)]) { server in
            let policy = loopbackPolicy { $0.totalTimeout = 1.5 }
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(await fetchError(Fetcher(policy: policy), server.url("/slow")))
            let elapsed = clock.now - start
            #expect(error.kind == .timeout)
            #expect(elapsed >= .milliseconds(1400))
            // Generous: a busy machine may be late to wake the fetch thread. Still well short of
            // the stall (60 s), so a timeout that is not applied fails.
            #expect(elapsed < .seconds(20))
        }
    }

    @Test func dribblingServerIsTooSlow() async throws {
        // Headers, then one byte per 0.4 s: below 1 KiB/s for the 1 s low-speed window.
        try await withServer(["/drip": .stream(total: 100, chunkSize: 1, delay: 0.4)]) { server in
            let policy = loopbackPolicy {
                $0.lowSpeedLimit = 1024
                $0.lowSpeedTime = 1
                $0.totalTimeout = 20
            }
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(await fetchError(Fetcher(policy: policy), server.url("/drip")))
            #expect(error.kind == .tooSlow)
            // Generous for a busy machine, and still short of the total timeout (20 s) and of
            // the whole drip (40 s).
            #expect(clock.now - start < .seconds(15))
        }
    }

    @Test(arguments: [true, false])
    func oversizedBodyRefused(contentLength: Bool) async throws {
        try await withServer(["/big": .stream(total: 1 << 20, contentLength: contentLength)]) { server in
            let policy = loopbackPolicy { $0.maxBodyBytes = 64 * 1024 }
            let error = try #require(await fetchError(Fetcher(policy: policy), server.url("/big")))
            #expect(error.kind == .bodyTooLarge)
            #expect(error.message.contains("65536"))
            // Just under the limit passes.
            let fits = Fetcher(policy: loopbackPolicy { $0.maxBodyBytes = 1 << 20 })
            let result = try await fits.fetch(server.url("/big"))
            #expect(result.body.count == 1 << 20)
        }
    }

    @Test func gzipBodyIsDecompressed() async throws {
        let gzipped = try TestTools.gzip(Array(Self.page.utf8))
        try await withServer([
            "/gz": .respond(headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: gzipped),
        ]) { server in
            let result = try await Fetcher(policy: loopbackPolicy()).fetch(server.url("/gz"))
            #expect(gzipped != Array(Self.page.utf8))
            #expect(result.body == Array(Self.page.utf8))
            #expect(result.sha256 == Self.pageSHA256)
            #expect(result.header("Content-Encoding") == "gzip")
        }
    }

    @Test func gzipBombStoppedByBodyLimit() async throws {
        let bomb = try TestTools.gzip([UInt8](repeating: 0, count: 20 << 20))
        #expect(bomb.count < 100_000)
        try await withServer([
            "/bomb": .respond(headers: [("Content-Encoding", "gzip")], body: bomb),
        ]) { server in
            let policy = loopbackPolicy { $0.maxBodyBytes = 1 << 20 }
            let error = try #require(await fetchError(Fetcher(policy: policy), server.url("/bomb")))
            #expect(error.kind == .bodyTooLarge)
            #expect(error.message.contains("limit of 1048576 bytes"))
        }
    }

    @Test func closedPortIsConnectFailure() async throws {
        // Start a server to learn a free port, stop it, then connect to the now-closed port.
        let server = try await LoopbackServer.start()
        let port = server.port
        await server.stop()
        let error = try #require(await fetchError(Fetcher(policy: loopbackPolicy()), "http://127.0.0.1:\(port)/"))
        #expect(error.kind == .connectFailure)
    }

    @Test func synchronousFetchFromManyThreads() async throws {
        try await withServer(["/p": .html(Self.page)]) { server in
            let fetcher = Fetcher(policy: loopbackPolicy())
            let results = try await withThrowingTaskGroup(of: FetchResult.self) { group in
                for _ in 0..<6 { group.addTask { try await fetcher.fetch(server.url("/p")) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 6)
            #expect(results.allSatisfy { $0.sha256 == Self.pageSHA256 })
        }
    }
}
