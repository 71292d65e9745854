#if Postgres
import Foundation
import Testing
import TestSupport
@testable import ClaimCasesPostgres

/// A statement whose answer never comes (a server that dropped the connection without a
/// word) must not hang its worker: after ``PGTx/timeout`` it fails as a lost connection,
/// the connection is closed, and the store retries the transaction on a new one.
@Suite struct PostgresTimeoutTests {
    @Test(.onOwnThread) func aStatementWithoutAnAnswerFailsAfterTheTimeoutAsALostConnection() throws {
        let pool = ConnectionPool(url: try PostgresURL(testPostgresURL()))
        defer { pool.shutdown() }
        let connection = try pool.acquire()
        var tx = PGTx(connection: connection, logger: pool.logger)
        // 2 s, not less: `SELECT 1` must answer within it on a busy machine too. The statement
        // that gets no answer in time sleeps far longer than the generous bound on the wait.
        tx.timeout = .seconds(2)
        #expect(try tx.one("SELECT 1 AS one")?.int("one") == 1, "an answer within the timeout")
        let started = Date()
        #expect(throws: PostgresNoAnswer.self) { try tx.execute("SELECT pg_sleep(60)") }
        #expect(Date().timeIntervalSince(started) < 30, "failed after the timeout, not after the statement")
        #expect(PostgresStoreError.isConnectionLevel(PostgresNoAnswer()), "retried like a lost connection")
        let deadline = Date().addingTimeInterval(30)
        while !connection.isClosed, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(connection.isClosed, "the connection is closed, never reused")
    }
}
#endif
