import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// What the loopback server answers on one path.
public struct LoopbackRoute: Sendable {
    enum Kind: Sendable {
        case fixed(status: Int, headers: [(String, String)], body: [UInt8])
        case stream(status: Int, headers: [(String, String)], total: Int, chunkSize: Int, byte: UInt8,
                    delay: Double, contentLength: Bool)
        case stall(seconds: Double)
        case handler(@Sendable (LoopbackRequest) async -> LoopbackRoute)
    }

    let kind: Kind

    /// A fixed response. `Content-Length` is added unless given.
    public static func respond(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) -> Self {
        Self(kind: .fixed(status: status, headers: headers, body: body))
    }

    /// A 200 `text/html; charset=utf-8` response with `html` as UTF-8 body.
    public static func html(_ html: String, status: Int = 200) -> Self {
        .respond(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(html.utf8))
    }

    /// A redirect to `location` (absolute or relative, sent verbatim).
    public static func redirect(to location: String, status: Int = 302) -> Self {
        .respond(status: status, headers: [("Location", location)])
    }

    /// A body of `total` copies of `byte`, generated while sending in chunks of `chunkSize`,
    /// waiting `delay` seconds before each chunk. With `contentLength: false` it is sent
    /// chunked (no `Content-Length`).
    public static func stream(
        total: Int, chunkSize: Int = 16 * 1024, byte: UInt8 = UInt8(ascii: "x"), delay: Double = 0,
        contentLength: Bool = true, status: Int = 200, headers: [(String, String)] = []
    ) -> Self {
        Self(kind: .stream(status: status, headers: headers, total: total, chunkSize: chunkSize, byte: byte,
                           delay: delay, contentLength: contentLength))
    }

    /// Reads the request, then sends nothing at all for `seconds` (or until the server stops).
    public static func stall(seconds: Double = 60) -> Self {
        Self(kind: .stall(seconds: seconds))
    }

    /// Decides per request.
    public static func handler(_ body: @escaping @Sendable (LoopbackRequest) async -> LoopbackRoute) -> Self {
        Self(kind: .handler(body))
    }
}

/// A request as the loopback server saw it.
public struct LoopbackRequest: Sendable {
    /// The request method, e.g. `GET`.
    public var method: String
    /// The path, without query.
    public var path: String
    /// The raw (percent-encoded) query string, without `?`; empty when there is none.
    public var query: String = ""
    /// When the server received the request.
    public var receivedAt: Date = Date()
    /// Headers, names as sent.
    public var headers: [(name: String, value: String)]

    /// The path with `?query` when there is a query.
    public var target: String { query.isEmpty ? path : path + "?" + query }

    /// First header called `name`, case-insensitive.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A FlyingFox HTTP server on `127.0.0.1` with an ephemeral port, for tests.
///
/// ```swift
/// let server = try await LoopbackServer.start([
///     "/": .html("<p>hi</p>"),
///     "/old": .redirect(to: "/"),
/// ])
/// defer { Task { await server.stop() } }   // or `await server.stop()` at the end
/// let url = server.url("/old")
/// ```
/// Unknown paths answer 404. Every request is recorded (``requests``).
public final class LoopbackServer: Sendable {
    /// The port the server listens on.
    public let port: UInt16
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    private let shared: StateRef

    struct State {
        var routes: [String: LoopbackRoute]
        var fallback: LoopbackRoute?
        var requests: [LoopbackRequest] = []
        var stopped = false
    }

    private init(port: UInt16, server: HTTPServer, task: Task<Void, any Error>, shared: StateRef) {
        self.port = port
        self.server = server
        self.task = task
        self.shared = shared
    }

    /// Starts a server with `routes` (path → route) and waits until it listens.
    ///
    /// - Parameter fallback: the route for paths not in `routes` (default: 404).
    public static func start(_ routes: [String: LoopbackRoute] = [:], fallback: LoopbackRoute? = nil) async throws -> LoopbackServer {
        let box = StateRef(state: Mutex(State(routes: routes, fallback: fallback)))
        let server = HTTPServer(
            address: try sockaddr_in.inet(ip4: "127.0.0.1", port: 0),
            timeout: 60,
            logger: .disabled,
            handler: Handler(state: box)
        )
        let task = Task { try await server.run() }
        // FlyingFox's default is 5 s; a busy two-core machine can take longer to schedule the
        // server's first task (see OwnThreadTrait). A server that never listens still fails.
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            task.cancel()
            throw LoopbackServerError("server is not listening on an IPv4 address")
        }
        return LoopbackServer(port: port, server: server, task: task, shared: box)
    }

    /// `http://127.0.0.1:<port><path>`; `path` should start with `/`.
    public func url(_ path: String = "/") -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// Adds or replaces the route for `path`.
    public func setRoute(_ path: String, _ route: LoopbackRoute) {
        shared.state.withLock { $0.routes[path] = route }
    }

    /// Sets the route for paths without a route of their own (`nil`: 404).
    public func setFallback(_ route: LoopbackRoute?) {
        shared.state.withLock { $0.fallback = route }
    }

    /// Requests received so far, in order.
    public var requests: [LoopbackRequest] {
        shared.state.withLock { $0.requests }
    }

    /// Stops listening and cancels every open connection, stalled handlers included.
    public func stop() async {
        shared.state.withLock { $0.stopped = true }
        await server.stop(timeout: 0)
        task.cancel()
    }
}

/// An error starting the loopback server.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The routes and request log shared between the server object and its handler.
final class StateRef: Sendable {
    let state: Mutex<LoopbackServer.State>
    init(state: consuming Mutex<LoopbackServer.State>) { self.state = state }
}

private struct Handler: HTTPHandler {
    let state: StateRef

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let seen = LoopbackRequest(
            method: request.method.rawValue,
            path: request.path,
            query: request.target.query(percentEncoded: true),
            receivedAt: Date(),
            headers: request.headers.map { (name: $0.key.rawValue, value: $0.value) }
        )
        let route = state.state.withLock { s -> LoopbackRoute? in
            s.requests.append(seen)
            return s.routes[request.path] ?? s.fallback
        }
        guard let route else {
            return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain"], body: Data("not found".utf8))
        }
        return try await response(for: route, request: seen)
    }

    private func response(for route: LoopbackRoute, request: LoopbackRequest) async throws -> HTTPResponse {
        switch route.kind {
        case .fixed(let status, let headers, let body):
            return HTTPResponse(statusCode: Self.status(status), headers: Self.headers(headers), body: Data(body))
        case .stream(let status, let headers, let total, let chunkSize, let byte, let delay, let contentLength):
            let bytes = GeneratedBytes(total: total, chunkSize: chunkSize, byte: byte, delay: delay)
            let body = contentLength
                ? HTTPBodySequence(from: bytes, count: total, suggestedBufferSize: chunkSize)
                : HTTPBodySequence(from: bytes, suggestedBufferSize: chunkSize)
            return HTTPResponse(statusCode: Self.status(status), headers: Self.headers(headers), body: body)
        case .stall(let seconds):
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline, !state.state.withLock({ $0.stopped }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            return HTTPResponse(statusCode: .serviceUnavailable)
        case .handler(let decide):
            return try await response(for: await decide(request), request: request)
        }
    }

    static func status(_ code: Int) -> HTTPStatusCode {
        let phrases = [200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
                       307: "Temporary Redirect", 308: "Permanent Redirect", 404: "Not Found",
                       500: "Internal Server Error", 503: "Service Unavailable"]
        return HTTPStatusCode(code, phrase: phrases[code] ?? "Status \(code)")
    }

    static func headers(_ list: [(String, String)]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in list { headers.addValue(value, for: HTTPHeader(name)) }
        return headers
    }
}

/// `total` copies of one byte, produced in chunks as the server sends them.
struct GeneratedBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let total: Int
    let chunkSize: Int
    let byte: UInt8
    let delay: Double

    func makeAsyncIterator() -> Iterator {
        Iterator(remaining: total, chunkSize: chunkSize, byte: byte, delay: delay)
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var remaining: Int
        let chunkSize: Int
        let byte: UInt8
        let delay: Double

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard remaining > 0 else { return nil }
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            let n = Swift.min(remaining, Swift.max(1, Swift.min(count, chunkSize)))
            remaining -= n
            return [UInt8](repeating: byte, count: n)
        }
    }
}
