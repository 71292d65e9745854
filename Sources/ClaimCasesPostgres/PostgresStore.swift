import ClaimCases
import Foundation
import PostgresNIO

/// The case queue in a PostgreSQL database: the same behaviour as the SQLite ``CaseStore``,
/// shared by any number of `claimscan` processes on any number of machines.
///
/// The interface is synchronous like the SQLite store's (the scanner calls it from its
/// processing queue): each call runs one transaction on a pooled connection and waits for
/// it on the calling thread with NIO's `EventLoopFuture.wait()`, so it never blocks, or
/// needs, Swift's cooperative thread pool.
///
/// A connection lost mid-call (server restarted, network gone) is not an error at once:
/// the call reconnects and runs its whole transaction again, with backoff, for up to
/// ``retryWindow`` seconds. Every operation is written so that running it again after an
/// unacknowledged commit changes nothing more (upserts, `ON CONFLICT`, once-per-run counts).
public final class PostgresStore: CooperativeCaseQueue, @unchecked Sendable {
    public let url: PostgresURL
    public let evidenceDirectory: URL
    /// How long a call keeps retrying after losing its connection.
    public let retryWindow: TimeInterval

    let pool: ConnectionPool
    let clock: @Sendable () -> Date
    /// Told (at most every 5 s) when a call lost its connection and retries.
    let notice: (@Sendable (String) -> Void)?
    private let statsLock = NSLock()
    private var waited: Double = 0
    private var lastNotice = Date.distantPast

    /// Opens the database at `url` (`postgres://user[:password]@host[:port]/database`) and
    /// brings its schema up to date (under an advisory lock: safe when several processes
    /// start at once). Throws ``PostgresStoreError`` with a one-line reason on a bad URL,
    /// an unreachable server, refused authentication or a missing database.
    /// - Parameters:
    ///   - evidenceDirectory: where this process writes its WARC files (default
    ///     `./claimscan.evidence/`); cases' evidence is also kept in the database.
    ///   - retryWindow: see ``retryWindow``; `$CLAIMSCAN_PG_RETRY_SECONDS` overrides the default 120.
    public init(
        url text: String,
        evidenceDirectory: URL? = nil,
        retryWindow: TimeInterval? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        notice: (@Sendable (String) -> Void)? = nil
    ) throws {
        self.notice = notice
        let url = try PostgresURL(text)
        self.url = url
        self.evidenceDirectory = evidenceDirectory
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("claimscan.evidence", isDirectory: true)
        let env = ProcessInfo.processInfo.environment["CLAIMSCAN_PG_RETRY_SECONDS"].flatMap(Double.init)
        self.retryWindow = retryWindow ?? env ?? 120
        self.clock = clock
        self.pool = ConnectionPool(url: url)
        do {
            // The first connection fails fast: a wrong URL should say so at once.
            let connection = try pool.acquire()
            pool.release(connection)
            try PostgresSchema.migrate(self)
        } catch {
            pool.shutdown()
            throw PostgresStoreError.from(error, url: url)
        }
    }

    deinit { pool.shutdown() }

    /// `postgres://` or `postgresql://`: a PostgreSQL URL rather than an SQLite path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    public var location: String { url.redacted }

    public func close() throws { pool.shutdown() }

    @discardableResult
    public func ensureEvidenceDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: evidenceDirectory, withIntermediateDirectories: true)
        return evidenceDirectory
    }

    public var databaseSeconds: Double { statsLock.withLock { waited } }

    var now: String { Timestamp.format(clock()) }

    // MARK: - Transactions

    /// Runs `body` in one transaction, retrying the whole of it on a lost connection or a
    /// serialization failure. Errors `body` throws itself roll back and pass through.
    func transaction<T>(_ body: (PGTx) throws -> T) throws -> T {
        let started = Date()
        defer {
            let spent = Date().timeIntervalSince(started)
            statsLock.withLock { waited += spent }
        }
        var delay = 0.1
        while true {
            do {
                return try attempt(body)
            } catch {
                guard PostgresStoreError.isTransient(error), Date().timeIntervalSince(started) < retryWindow else {
                    throw PostgresStoreError.from(error, url: url)
                }
                let tell: Bool = statsLock.withLock {
                    guard Date().timeIntervalSince(lastNotice) > 5 else { return false }
                    lastNotice = Date()
                    return true
                }
                if tell, let notice {
                    let why = PostgresStoreError.sqlState(error).map { "SQLSTATE \($0)" } ?? "connection lost"
                    notice("\(location): \(why); retrying for up to \(Int(retryWindow)) s")
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
            }
        }
    }

    private func attempt<T>(_ body: (PGTx) throws -> T) throws -> T {
        let connection = try pool.acquire()
        let tx = PGTx(connection: connection, logger: pool.logger)
        do {
            try tx.execute("BEGIN")
            let result = try body(tx)
            try tx.execute("COMMIT")
            pool.release(connection)
            return result
        } catch {
            if connection.isClosed || PostgresStoreError.isConnectionLevel(error) {
                pool.discard(connection)
            } else {
                _ = try? tx.execute("ROLLBACK")
                pool.release(connection)
            }
            throw error
        }
    }

    // MARK: - Databases (tests and set-up)

    /// Creates a database (connecting to `postgres` on the same server).
    public static func createDatabase(_ name: String, on serverURL: String) throws {
        try maintenance(serverURL) { tx in _ = try tx.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoteIdentifier(name))")) }
    }

    /// Drops a database if it exists (closing other sessions on it first).
    public static func dropDatabase(_ name: String, on serverURL: String) throws {
        try maintenance(serverURL) { tx in
            _ = try tx.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE)"))
        }
    }

    /// `serverURL` with its database replaced by `name`.
    public static func url(_ serverURL: String, database name: String) throws -> String {
        var url = try PostgresURL(serverURL)
        url.database = name
        return url.text
    }

    private static func maintenance(_ serverURL: String, _ body: (PGTx) throws -> Void) throws {
        var url = try PostgresURL(serverURL)
        url.database = "postgres"
        let pool = ConnectionPool(url: url)
        defer { pool.shutdown() }
        do {
            let connection = try pool.acquire()
            defer { pool.discard(connection) }
            try body(PGTx(connection: connection, logger: pool.logger))
        } catch {
            throw PostgresStoreError.from(error, url: url)
        }
    }

    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// One transaction's connection. Every call waits for the server's answer.
struct PGTx {
    let connection: PostgresConnection
    let logger: Logger
    /// ``answerTimeout`` (tests shorten it).
    var timeout: TimeAmount = PGTx.answerTimeout

    /// How long a statement waits for the server's answer. A connection the server dropped
    /// without a word would leave the wait hanging for ever (seen once when the server was
    /// restarted mid-scan: a worker stuck in a query, its crawl behind it); after this the
    /// connection is closed and the transaction retried like any lost connection.
    static let answerTimeout: TimeAmount = .seconds(30)

    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        let eventLoop = connection.eventLoop
        let answer = eventLoop.makePromise(of: PostgresQueryResult.self)
        let settled = SettledFlag()   // the timeout and the answer both run on `eventLoop`
        let timeout = eventLoop.scheduleTask(in: self.timeout) { [connection, wait = self.timeout] in
            guard !settled.value else { return }
            settled.value = true
            answer.fail(PostgresNoAnswer(waited: wait))
            connection.close().whenComplete { _ in }
        }
        connection.query(query, logger: logger).whenComplete { result in
            timeout.cancel()
            guard !settled.value else { return }
            settled.value = true
            answer.completeWith(result)
        }
        return try answer.futureResult.wait()
    }

    /// Runs a statement; returns the number of rows it affected.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try self.query(query).metadata.rows ?? 0
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try self.query(query).rows.map { $0.makeRandomAccess() }
    }

    func one(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }
}

/// A small pool of connections: idle ones are reused, broken ones dropped, new ones opened
/// on demand (the scanner uses about three at once: processing, lease renewal, the CLI).
final class ConnectionPool: @unchecked Sendable {
    let url: PostgresURL
    let logger: Logger
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 1
    private var closed = false

    init(url: PostgresURL) {
        self.url = url
        var logger = Logger(label: "claimscan.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    func acquire() throws -> PostgresConnection {
        let (reuse, id): (PostgresConnection?, Int) = try lock.withLock {
            if closed { throw PostgresStoreError(kind: .closed, url: url.redacted, detail: "the store was closed") }
            while let c = idle.popLast() { if !c.isClosed { return (c, 0) } }
            defer { nextID += 1 }
            return (nil, nextID)
        }
        if let reuse { return reuse }
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        return try PostgresConnection.connect(on: loop, configuration: url.configuration(), id: id, logger: logger).wait()
    }

    func release(_ connection: PostgresConnection) {
        let keep: Bool = lock.withLock {
            guard !closed, !connection.isClosed, idle.count < 8 else { return false }
            idle.append(connection)
            return true
        }
        if !keep { discard(connection) }
    }

    func discard(_ connection: PostgresConnection) {
        _ = try? connection.close().wait()
    }

    func shutdown() {
        let all: [PostgresConnection] = lock.withLock {
            closed = true
            defer { idle.removeAll() }
            return idle
        }
        for c in all { discard(c) }
    }
}

// MARK: - Row reading

extension PostgresRandomAccessRow {
    func string(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int(_ column: String) throws -> Int { try self[column].decode(Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try self[column].decode(Int?.self) }
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func bool(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
    func date(_ column: String) throws -> Date? { try optionalString(column).flatMap(Timestamp.parse) }
    func stringArray(_ column: String) throws -> [String] {
        guard let text = try optionalString(column) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

/// No answer from the server within ``PGTx/answerTimeout``: a lost connection.
struct PostgresNoAnswer: Error, CustomStringConvertible {
    var waited: TimeAmount = PGTx.answerTimeout
    var description: String { "no answer from the server within \(Double(waited.nanoseconds) / 1e9) s" }
}

/// Whether a statement's outcome is settled (touched only on the connection's event loop).
private final class SettledFlag: @unchecked Sendable { var value = false }
