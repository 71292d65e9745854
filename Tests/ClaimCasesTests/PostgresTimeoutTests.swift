#if Postgres
import Foundation
import Testing
@testable import ClaimCasesPostgres

/// A statement whose answer never comes (a server that dropped the connection without a
/// word) must not hang its worker: after ``PGTx/timeout`` it fails as a lost connection,
/// the connection is closed, and the store retries the transaction on a new one.
@Suite struct PostgresTimeoutTests {
    @Test func aStatementWithoutAnAnswerFailsAfterTheTimeoutAsALostConnection() throws {
        let pool = ConnectionPool(url: try PostgresURL(testPostgresURL()))
        defer { pool.shutdown() }
        let connection = try pool.acquire()
        var tx = PGTx(connection: connection, logger: pool.logger)
        tx.timeout = .milliseconds(400)
        #expect(try tx.one("SELECT 1 AS one")?.int("one") == 1, "an answer within the timeout")
        let started = Date()
        #expect(throws: PostgresNoAnswer.self) { try tx.execute("SELECT pg_sleep(5)") }
        #expect(Date().timeIntervalSince(started) < 3, "failed after the timeout, not after the statement")
        #expect(PostgresStoreError.isConnectionLevel(PostgresNoAnswer()), "retried like a lost connection")
        let deadline = Date().addingTimeInterval(5)
        while !connection.isClosed, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(connection.isClosed, "the connection is closed, never reused")
    }
}
#endif
