import Foundation
import GRDB

/// Who holds (or held) the scan lock of a database.
public struct ScanLockOwner: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var host: String
    public var startedAt: Date
    public var heartbeatAt: Date
    /// The scan run the owner is working on, if it said so.
    public var runID: RunID?

    public var description: String {
        "pid \(pid) on \(host), started \(Timestamp.format(startedAt)), last heartbeat \(Timestamp.format(heartbeatAt))"
    }
}

/// Another scan holds the lock, or this process lost its lock.
public struct ScanLockError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A second scan was refused.
        case held
        /// Our lock was taken over (we were presumed dead) or released.
        case lost
    }
    public var kind: Kind
    public var path: String
    public var owner: ScanLockOwner?

    public var description: String {
        switch kind {
        case .held:
            guard let owner else { return "\(path): another scan is running on this database" }
            return "\(path): another scan (pid \(owner.pid) on \(owner.host), started \(Timestamp.format(owner.startedAt))) "
                + "is running on this database (last heartbeat \(Timestamp.format(owner.heartbeatAt))). "
                + "Wait for it to finish, or stop it; a lock whose process died is taken over automatically."
        case .lost:
            let who = owner.map { " (now held by pid \($0.pid) on \($0.host))" } ?? ""
            return "\(path): this scan no longer holds the scan lock\(who); stop and resume the scan"
        }
    }
}

/// The right to run a scan on one database. Only one scan may run at a time.
///
/// The lock is a row (`scan_lock`, id 1) with the owner's pid, host, a random token and
/// a heartbeat time, taken in a write transaction, so it survives `kill -9`: a later
/// scan takes it over when the owner is on this host and its pid no longer exists
/// (`kill(pid, 0)` fails with ESRCH), or when the heartbeat is older than the stale
/// interval (owners on other hosts, or a hung process). Call ``heartbeat()`` regularly
/// (well within the stale interval) while scanning, and ``release()`` at the end.
public final class ScanLock: Sendable {
    public let store: CaseStore
    /// Identifies this holder of the lock.
    public let token: String
    public let owner: ScanLockOwner

    init(store: CaseStore, token: String, owner: ScanLockOwner) {
        self.store = store
        self.token = token
        self.owner = owner
    }

    /// Records that the owner is alive (and, optionally, which run it works on).
    /// Throws ``ScanLockError`` (`.lost`) if another scan took the lock over.
    public func heartbeat(runID: RunID? = nil) throws {
        try store.heartbeat(self, runID: runID)
    }

    /// Gives the lock up. Releasing a lock that was taken over does nothing.
    public func release() throws {
        try store.release(self)
    }
}

extension CaseStore {
    /// How old a heartbeat may be before the lock counts as abandoned: 5 minutes.
    public static let scanLockStaleInterval: TimeInterval = 300

    /// Takes the scan lock, or throws ``ScanLockError`` (`.held`) naming the scan that
    /// holds it. A lock whose owner is dead (same host, pid gone) or silent for longer
    /// than `staleAfter` is taken over.
    public func acquireScanLock(staleAfter: TimeInterval = CaseStore.scanLockStaleInterval) throws -> ScanLock {
        try acquireScanLock(pid: ProcessIdentity.pid, host: ProcessIdentity.host, staleAfter: staleAfter)
    }

    /// The current holder of the scan lock, if any (it may be dead: see ``isStale(_:staleAfter:)``).
    public func scanLockOwner() throws -> ScanLockOwner? {
        try read { db in try currentLock(db)?.owner }
    }

    /// Whether a lock held by `owner` may be taken over now.
    public func isStale(_ owner: ScanLockOwner, staleAfter: TimeInterval = CaseStore.scanLockStaleInterval) -> Bool {
        if clock().timeIntervalSince(owner.heartbeatAt) > staleAfter { return true }
        if owner.host == ProcessIdentity.host {
            return kill(owner.pid, 0) != 0 && errno == ESRCH
        }
        return false
    }

    /// `acquireScanLock` on behalf of a given pid and host (tests simulate other processes).
    func acquireScanLock(pid: Int32, host: String, staleAfter: TimeInterval) throws -> ScanLock {
        let now = clock()
        let token = UUID().uuidString
        let owner = ScanLockOwner(pid: pid, host: host, startedAt: now, heartbeatAt: now, runID: nil)
        try write { db in
            if let current = try currentLock(db), !isStale(current.owner, staleAfter: staleAfter) {
                throw ScanLockError(kind: .held, path: path, owner: current.owner)
            }
            let stamp = Timestamp.format(now)
            try db.execute(
                sql: """
                INSERT OR REPLACE INTO scan_lock (id, token, pid, host, started_at, heartbeat_at, run_id)
                VALUES (1, ?, ?, ?, ?, ?, NULL)
                """,
                arguments: [token, pid, host, stamp, stamp]
            )
        }
        return ScanLock(store: self, token: token, owner: owner)
    }

    func heartbeat(_ lock: ScanLock, runID: RunID?) throws {
        let now = self.now
        try write { db in
            try db.execute(
                sql: "UPDATE scan_lock SET heartbeat_at = ?, run_id = coalesce(?, run_id) WHERE id = 1 AND token = ?",
                arguments: [now, runID, lock.token]
            )
            if db.changesCount == 0 {
                throw ScanLockError(kind: .lost, path: path, owner: try currentLock(db)?.owner)
            }
        }
    }

    func release(_ lock: ScanLock) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM scan_lock WHERE id = 1 AND token = ?", arguments: [lock.token])
        }
    }

    private func currentLock(_ db: Database) throws -> (token: String, owner: ScanLockOwner)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM scan_lock WHERE id = 1") else { return nil }
        return (row["token"], ScanLockOwner(
            pid: row["pid"], host: row["host"], startedAt: row.date("started_at") ?? .distantPast,
            heartbeatAt: row.date("heartbeat_at") ?? .distantPast, runID: row["run_id"]
        ))
    }
}
