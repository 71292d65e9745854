import Foundation
import GRDB

/// The supervision case queue: agencies, scan runs, their frontier, pages, cases and
/// the audit log, in one SQLite file (WAL mode, see ``Schema`` for the tables).
///
/// Safe to use from several threads; writes are serialized by SQLite, and each
/// operation is one transaction. Errors from the file itself are ``CaseStoreError``.
public final class CaseStore: CaseQueue, Sendable {
    /// The database file.
    public let path: String
    /// Folder for evidence (WARC) files: `<db path without extension>.evidence/`.
    public let evidenceDirectory: URL

    let pool: DatabasePool
    let clock: @Sendable () -> Date

    /// The default busy timeout, seconds: how long a write waits for another process.
    public static let defaultBusyTimeout: TimeInterval = 5

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    /// - Parameters:
    ///   - busyTimeout: how long to wait for a lock held by another process before
    ///     failing with `CaseStoreError.Kind.inUse`.
    ///   - clock: the time used for audit entries and bookkeeping (tests inject one).
    public init(
        path: String,
        busyTimeout: TimeInterval = CaseStore.defaultBusyTimeout,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.path = path
        self.evidenceDirectory = CaseStore.evidenceDirectory(forDatabaseAt: path)
        self.clock = clock
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "ClaimCases"
        // A page cache of 256 KiB per connection, not SQLite's 2 MiB: the pool holds a writer
        // and readers, and a crawl keeps each one's cache full (heap profile of the 100-site
        // crawl: 2.3 → 1.0 MB); the file's pages stay in the system's cache anyway.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -256") }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            let migrator = Schema.migrator
            let (completed, superseded) = try pool.read { db in
                (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
            }
            if superseded {
                let applied = try pool.read { try migrator.appliedIdentifiers($0) }
                let unknown = applied.subtracting(migrator.migrations).sorted()
                throw CaseStoreError(
                    kind: .newerSchema, path: path,
                    detail: "unknown migrations \(unknown.joined(separator: ", "))"
                )
            }
            if !completed {
                try migrator.migrate(pool)
            }
            self.pool = pool
        } catch {
            throw CaseStoreError.from(error, path: path)
        }
    }

    /// The database file (``CaseQueue`` conformance).
    public var location: String { path }

    /// Nothing to share: the WARC files are beside the database file, readable wherever it is.
    public func storeEvidence(agency: AgencyID, url: String, record: SharedEvidence) throws {}

    /// Always nil: see ``storeEvidence(agency:url:record:)``.
    public func sharedEvidence(warcFile: String, warcOffset: Int64) throws -> SharedEvidence? { nil }

    /// Closes the database connections. Further use throws.
    public func close() throws {
        try mapped { try pool.close() }
    }

    /// Copies everything from the write-ahead log into the database file and empties the
    /// log (e.g. before copying the database file for a backup). Waits for readers.
    public func checkpoint() throws {
        try mapped { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
    }

    /// The database path to use: `--db PATH` if given, else `$CLAIMSCAN_DB`, else `./claimscan.db`.
    /// Empty values count as not given.
    public static func defaultPath(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["CLAIMSCAN_DB"], !env.isEmpty { return env }
        return "./claimscan.db"
    }

    /// `<db path without extension>.evidence/` (`data/cases.db` → `data/cases.evidence/`).
    public static func evidenceDirectory(forDatabaseAt path: String) -> URL {
        let url = URL(fileURLWithPath: path)
        let base = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent()
            .appendingPathComponent(base + ".evidence", isDirectory: true)
    }

    /// Creates the evidence directory if needed and returns it.
    @discardableResult
    public func ensureEvidenceDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: evidenceDirectory, withIntermediateDirectories: true)
        return evidenceDirectory
    }

    // MARK: - Internals

    /// Runs `body`, turning SQLite errors into `CaseStoreError`s that name the file.
    func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw CaseStoreError.from(error, path: path)
        }
    }

    /// One write transaction.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try mapped { try pool.write(body) }
    }

    /// One read (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try mapped { try pool.read(body) }
    }

    var now: String { Timestamp.format(clock()) }
}

/// This process's id and host name (for runs and the scan lock).
package enum ProcessIdentity {
    package static var pid: Int32 { getpid() }
    package static var host: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

// MARK: - Row helpers

extension Row {
    func date(_ column: String) -> Date? {
        guard let text: String = self[column] else { return nil }
        return Timestamp.parse(text)
    }

    func stringArray(_ column: String) -> [String] {
        guard let text: String = self[column] else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

package func jsonText<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
}
