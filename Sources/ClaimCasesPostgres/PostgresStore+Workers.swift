import ClaimCases
import Foundation
import PostgresNIO

/// Cooperating scan workers: a run's work units (agencies sharing hosts) are claimed with
/// `SELECT … FOR UPDATE SKIP LOCKED` under a lease on the server's clock (`now()`, so the
/// machines' clocks need not agree). A worker renews its leases while it crawls; a unit
/// whose lease ran out (its worker was killed, or lost the network) is claimable again.
extension PostgresStore {
    public func joinOrStartRun(selection: RunSelection, optionsJSON: String) throws -> (run: ScanRun, created: Bool) {
        let now = self.now
        return try transaction { tx in
            // One worker at a time decides: workers started together join one run.
            try tx.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.runLock))")
            if let row = try tx.one("SELECT * FROM scan_runs WHERE status IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1") {
                let run = try ScanRun(pg: row)
                if run.status == .interrupted {
                    try tx.execute("UPDATE scan_runs SET status = 'running', finished_at = NULL WHERE id = \(run.id)")
                }
                return (run, false)
            }
            let id = try insertRun(tx, selection: selection, optionsJSON: optionsJSON, now: now)
            return (try ScanRun(pg: tx.one("SELECT * FROM scan_runs WHERE id = \(id)")!), true)
        }
    }

    public func claimUnits(run: RunID, worker: String, limit: Int, lease: TimeInterval) throws -> [WorkUnit] {
        let leaseMillis = Int(lease * 1000)
        return try transaction { tx in
            let claimed = try tx.rows("""
                UPDATE run_units SET lease_owner = \(worker),
                    lease_until = now() + make_interval(secs => \(leaseMillis)::float8 / 1000), claims = claims + 1
                WHERE run_id = \(run) AND unit_no IN (
                    SELECT unit_no FROM run_units
                    WHERE run_id = \(run) AND status = 'pending' AND (lease_until IS NULL OR lease_until < now())
                    ORDER BY unit_no LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING unit_no, hosts
                """)
            var units: [WorkUnit] = []
            for row in claimed.sorted(by: { (try? $0.int("unit_no")) ?? 0 < (try? $1.int("unit_no")) ?? 0 }) {
                let number = try row.int("unit_no")
                let agencies = try tx.rows("SELECT agency_id FROM run_agencies WHERE run_id = \(run) AND unit_no = \(number) ORDER BY agency_id")
                    .map { try $0.int64("agency_id") }
                units.append(WorkUnit(runID: run, number: number, hosts: try row.stringArray("hosts"), agencies: agencies))
            }
            return units
        }
    }

    @discardableResult
    public func renewLeases(run: RunID, worker: String, units: [Int], lease: TimeInterval) throws -> [Int] {
        guard !units.isEmpty else { return [] }
        let leaseMillis = Int(lease * 1000)
        return try transaction { tx in
            try tx.rows("""
                UPDATE run_units SET lease_until = now() + make_interval(secs => \(leaseMillis)::float8 / 1000)
                WHERE run_id = \(run) AND unit_no = ANY(\(units)) AND lease_owner = \(worker) AND status = 'pending'
                RETURNING unit_no
                """).map { try $0.int("unit_no") }.sorted()
        }
    }

    @discardableResult
    public func finishUnit(run: RunID, unit: Int, worker: String, summaryJSON: String) throws -> Bool {
        let now = self.now
        return try transaction { tx in
            try tx.execute("""
                UPDATE run_units SET status = 'done', summary = \(summaryJSON), finished_by = \(worker),
                    finished_at = \(now), lease_until = NULL
                WHERE run_id = \(run) AND unit_no = \(unit) AND status = 'pending'
                """) > 0
        }
    }

    public func progress(run: RunID) throws -> RunProgress {
        try transaction { tx in
            let row = try tx.one("""
                SELECT count(*) AS units,
                       count(*) FILTER (WHERE status = 'done') AS done,
                       count(*) FILTER (WHERE status = 'pending' AND lease_until >= now()) AS leased,
                       count(*) FILTER (WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())) AS claimable
                FROM run_units WHERE run_id = \(run)
                """)!
            return RunProgress(units: try row.int("units"), done: try row.int("done"),
                               leased: try row.int("leased"), claimable: try row.int("claimable"))
        }
    }

    public func completeRunIfDone(run: RunID, summarize: ([String]) throws -> String) throws -> Bool {
        let now = self.now
        return try transaction { tx in
            guard let status = try tx.one("SELECT status FROM scan_runs WHERE id = \(run) FOR UPDATE").map({ try $0.string("status") }),
                  status == RunStatus.running.rawValue else { return false }
            let pending = try tx.one("SELECT count(*) AS n FROM run_units WHERE run_id = \(run) AND status <> 'done'")!.int("n")
            guard pending == 0 else { return false }
            let parts = try tx.rows("SELECT summary FROM run_units WHERE run_id = \(run) ORDER BY unit_no")
                .compactMap { try $0.optionalString("summary") }
            let summary = try summarize(parts)
            try tx.execute("UPDATE scan_runs SET status = 'complete', finished_at = \(now), summary = \(summary) WHERE id = \(run)")
            return true
        }
    }
}

/// Where one unit of a cooperative run stands (for tests and operators).
public struct WorkUnitState: Sendable, Equatable {
    public var number: Int
    public var hosts: [String]
    public var status: String
    /// How many times a worker claimed it (more than one: a lease ran out and another worker took over).
    public var claims: Int
    public var leaseOwner: String?
    public var finishedBy: String?
}

extension PostgresStore {
    /// The units of a run, in order.
    public func unitStates(run: RunID) throws -> [WorkUnitState] {
        try transaction { tx in
            try tx.rows("SELECT * FROM run_units WHERE run_id = \(run) ORDER BY unit_no").map {
                WorkUnitState(number: try $0.int("unit_no"), hosts: try $0.stringArray("hosts"), status: try $0.string("status"),
                              claims: try $0.int("claims"), leaseOwner: try $0.optionalString("lease_owner"),
                              finishedBy: try $0.optionalString("finished_by"))
            }
        }
    }

    /// The migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try transaction { tx in try tx.rows("SELECT version FROM schema_migrations ORDER BY version").map { try $0.string("version") } }
    }
}
