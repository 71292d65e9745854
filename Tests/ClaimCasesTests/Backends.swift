import Foundation
import Testing
@testable import ClaimCases
#if Postgres
import ClaimCasesPostgres
#endif

/// The stores the shared queue tests run against: one test body, every backend (as GRDB
/// runs one body against several database kinds).
enum Backend: String, CustomStringConvertible, CaseIterable, Sendable {
    case sqlite
    case postgres

    /// Every backend this build has. PostgreSQL is always among them when the package is
    /// built with its default traits; the test command (`scripts/test.sh`) starts a server
    /// and sets `CLAIMSCAN_TEST_POSTGRES`; without it the PostgreSQL cases fail, saying so.
    static var all: [Backend] {
        #if Postgres
        [.sqlite, .postgres]
        #else
        [.sqlite]
        #endif
    }

    var description: String { rawValue }
}

/// The server URL of the test PostgreSQL, or a failure that says how to get one.
func testPostgresURL() throws -> String {
    guard let url = ProcessInfo.processInfo.environment["CLAIMSCAN_TEST_POSTGRES"], !url.isEmpty else {
        throw TestSetupError("CLAIMSCAN_TEST_POSTGRES is not set: run ./scripts/test.sh (it starts a throw-away PostgreSQL), "
            + "or start one with scripts/pg-cluster.sh and export the URL it prints")
    }
    return url
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh, empty case queue of the given kind (a new SQLite file, or a new PostgreSQL
/// database), with two agencies. The database is deleted when the fixture goes away.
final class QueueFixture {
    let backend: Backend
    let dir = TempDir()
    let store: any CaseQueue
    let a1: AgencyID
    let a2: AgencyID
    private var cleanup: () -> Void = {}

    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            store = try CaseStore(path: dir.path("cases.db"))
        case .postgres:
            #if Postgres
            let server = try testPostgresURL()
            let name = "claimscan_t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            // Retried while the server is unreachable: a worker test restarts it, and suites run in parallel.
            try whileRestarting { try PostgresStore.createDatabase(name, on: server) }
            let evidence = dir.url.appendingPathComponent("evidence")
            let pg = try whileRestarting { try PostgresStore(url: try PostgresStore.url(server, database: name), evidenceDirectory: evidence) }
            store = pg
            cleanup = {
                try? pg.close()
                try? PostgresStore.dropDatabase(name, on: server)
            }
            #else
            throw TestSetupError("built without the Postgres trait")
            #endif
        }
        try store.importAgencies(csvText: """
            name,registration_no,region,urls
            长沙职业培训学校,HN-001,湖南省长沙市,https://a.example.cn/
            株洲技能评价中心,HN-002,湖南省株洲市,http://b.example.cn/;http://b2.example.cn/
            """, fileName: "agencies.csv")
        a1 = try store.agency(registrationNo: "HN-001")!.id
        a2 = try store.agency(registrationNo: "HN-002")!.id
    }

    deinit { cleanup() }
}

#if Postgres
/// Runs `body` again (for up to 120 s, the store's own retry window) while the PostgreSQL
/// server cannot be reached: a restart on a busy machine can take more than a few seconds.
func whileRestarting<T>(_ body: () throws -> T) throws -> T {
    let deadline = Date().addingTimeInterval(120)
    while true {
        do {
            return try body()
        } catch let error as PostgresStoreError
            where (error.kind == .unreachable || error.detail.contains("57P0")) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}
#endif
