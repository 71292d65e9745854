import Foundation
import GRDB

extension CaseStore {
    // MARK: - Scan runs

    /// Starts a scan run over the selected agencies: creates the run (`running`, with this
    /// process's pid and host) and one `pending` run-agency row per selected agency.
    /// Unknown registration numbers in the selection are an error.
    public func startRun(selection: RunSelection, optionsJSON: String) throws -> RunID {
        let now = self.now
        return try write { db in
            let agencyIDs: [Int64]
            switch selection {
            case .all:
                agencyIDs = try Int64.fetchAll(db, sql: "SELECT id FROM agencies ORDER BY registration_no")
            case .agencies(let regNos):
                var ids: [Int64] = []
                var unknown: [String] = []
                for reg in regNos {
                    if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM agencies WHERE registration_no = ?"), arguments: [reg]) {
                        if !ids.contains(id) { ids.append(id) }
                    } else {
                        unknown.append(reg)
                    }
                }
                if !unknown.isEmpty {
                    throw CaseRequestError("unknown registration number\(unknown.count == 1 ? "" : "s"): "
                        + unknown.joined(separator: ", ") + " (import the agency register first)")
                }
                agencyIDs = ids
            }
            try db.cachedStatement(sql: """
                INSERT INTO scan_runs (started_at, status, selection, options, pid, host)
                VALUES (?, 'running', ?, ?, ?, ?)
                """).execute(arguments: [now, jsonText(selection), optionsJSON, ProcessIdentity.pid, ProcessIdentity.host])
            let run = db.lastInsertedRowID
            for id in agencyIDs {
                try db.cachedStatement(sql: "INSERT INTO run_agencies (run_id, agency_id, status) VALUES (?, ?, 'pending')").execute(arguments: [run, id])
            }
            return run
        }
    }

    /// The latest run that is `running` or `interrupted`: the one to resume.
    ///
    /// A run left `running` by a process that was killed looks the same as one still in
    /// progress: take the scan lock first (``acquireScanLock(staleAfter:)``), then call
    /// ``resumeRun(_:)`` and continue with ``unfinishedAgencies(_:)`` and each agency's
    /// ``frontier(run:agency:)`` (its `pending` URLs; `done` ones need no refetch).
    public func unfinishedRun() throws -> ScanRun? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM scan_runs WHERE status IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1")).map(ScanRun.init(row:))
        }
    }

    /// One run.
    public func run(_ id: RunID) throws -> ScanRun? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM scan_runs WHERE id = ?"), arguments: [id]).map(ScanRun.init(row:))
        }
    }

    /// The latest runs, newest first.
    public func runs(limit: Int) throws -> [ScanRun] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM scan_runs ORDER BY id DESC LIMIT ?"), arguments: [limit])
                .map(ScanRun.init(row:))
        }
    }

    /// Marks a run as taken over by this process (on resume): status `running`, pid and host updated.
    public func resumeRun(_ id: RunID) throws {
        try write { db in
            try db.cachedStatement(sql: "UPDATE scan_runs SET status = 'running', finished_at = NULL, pid = ?, host = ? WHERE id = ?").execute(arguments: [ProcessIdentity.pid, ProcessIdentity.host, id])
            try requireChange(db, "no scan run \(id)")
            // Agencies that were being scanned when the run stopped start over from their frontier.
            try db.cachedStatement(sql: "UPDATE run_agencies SET status = 'pending' WHERE run_id = ? AND status = 'running'").execute(arguments: [id])
        }
    }

    /// Ends a run with `status` and a summary (JSON text).
    public func finishRun(_ id: RunID, status: RunStatus, summaryJSON: String?) throws {
        let now = self.now
        try write { db in
            let finished: String? = status == .running ? nil : now
            try db.cachedStatement(sql: "UPDATE scan_runs SET status = ?, finished_at = ?, summary = coalesce(?, summary) WHERE id = ?").execute(arguments: [status.rawValue, finished, summaryJSON, id])
            try requireChange(db, "no scan run \(id)")
        }
    }

    // MARK: - Agencies within a run

    /// The agencies of a run with their progress, in scan order.
    public func runAgencies(_ run: RunID) throws -> [RunAgency] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT ra.*, a.registration_no FROM run_agencies ra JOIN agencies a ON a.id = ra.agency_id
                WHERE ra.run_id = ? ORDER BY a.registration_no
                """), arguments: [run]).map(RunAgency.init(row:))
        }
    }

    /// The agency's scan in this run begins.
    public func markAgencyStarted(run: RunID, agency: AgencyID) throws {
        try setAgencyStatus(run: run, agency: agency, status: .running, error: nil)
    }

    /// The agency's scan in this run is finished.
    public func markAgencyDone(run: RunID, agency: AgencyID) throws {
        try setAgencyStatus(run: run, agency: agency, status: .done, error: nil)
    }

    /// The agency's scan in this run failed (e.g. its site is unreachable).
    public func markAgencyFailed(run: RunID, agency: AgencyID, error: String) throws {
        try setAgencyStatus(run: run, agency: agency, status: .failed, error: error)
    }

    private func setAgencyStatus(run: RunID, agency: AgencyID, status: RunAgencyStatus, error: String?) throws {
        let now = self.now
        try write { db in
            switch status {
            case .running:
                try db.cachedStatement(sql: """
                    UPDATE run_agencies SET status = 'running', started_at = coalesce(started_at, ?),
                        finished_at = NULL, error = NULL
                    WHERE run_id = ? AND agency_id = ?
                    """).execute(arguments: [now, run, agency])
            default:
                try db.cachedStatement(sql: "UPDATE run_agencies SET status = ?, finished_at = ?, error = ? WHERE run_id = ? AND agency_id = ?").execute(arguments: [status.rawValue, status == .pending ? nil : now, error, run, agency])
            }
            try requireChange(db, "agency \(agency) is not part of scan run \(run)")
        }
    }

    // MARK: - Frontier

    /// Adds URLs to the run's frontier for an agency, as `pending`. URLs already in the
    /// frontier (in any state) are ignored. Returns how many were new.
    @discardableResult
    public func addToFrontier(run: RunID, agency: AgencyID, _ entries: [FrontierEntry]) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let now = self.now
        return try write { db in
            var added = 0
            for entry in entries {
                try db.cachedStatement(sql: """
                    INSERT INTO frontier (run_id, agency_id, url, depth, state, discovered_at)
                    VALUES (?, ?, ?, ?, 'pending', ?)
                    ON CONFLICT (run_id, agency_id, url) DO NOTHING
                    """).execute(arguments: [run, agency, entry.url, entry.depth, now])
                added += db.changesCount
            }
            return added
        }
    }

    /// Marks a frontier URL fetched with `state` (`failed` counts as an error for the
    /// agency). Pages recorded with `recordPage`/`recordNotModified` are marked done there.
    public func markFetched(run: RunID, agency: AgencyID, url: String, state: FrontierState, at date: Date?) throws {
        let at = Timestamp.format(date ?? clock())
        try write { db in
            try markFrontier(db, run: run, agency: agency, url: url, state: state, at: at)
        }
    }

    /// The run's frontier for an agency: what is done, failed, and still pending.
    public func frontier(run: RunID, agency: AgencyID) throws -> FrontierSnapshot {
        try read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT url, depth, state FROM frontier WHERE run_id = ? AND agency_id = ? ORDER BY depth, rowid"), arguments: [run, agency])
            var snapshot = FrontierSnapshot(done: [], failed: [], pending: [])
            for row in rows {
                let url: String = row["url"]
                switch FrontierState(rawValue: row["state"]) {
                case .done: snapshot.done.append(url)
                case .failed: snapshot.failed.append(url)
                default: snapshot.pending.append(FrontierEntry(url: url, depth: row["depth"]))
                }
            }
            return snapshot
        }
    }

    /// Sets a frontier row's state (inserting it at depth 0 if unknown) and counts the
    /// page or error for the agency once.
    func markFrontier(_ db: Database, run: RunID, agency: AgencyID, url: String, state: FrontierState, at: String) throws {
        let previous = try String.fetchOne(
            db, sql: "SELECT state FROM frontier WHERE run_id = ? AND agency_id = ? AND url = ?",
            arguments: [run, agency, url]
        )
        if previous == nil {
            try db.cachedStatement(sql: """
                INSERT INTO frontier (run_id, agency_id, url, depth, state, discovered_at, fetched_at)
                VALUES (?, ?, ?, 0, ?, ?, ?)
                """).execute(arguments: [run, agency, url, state.rawValue, at, at])
        } else {
            try db.cachedStatement(sql: "UPDATE frontier SET state = ?, fetched_at = ? WHERE run_id = ? AND agency_id = ? AND url = ?").execute(arguments: [state.rawValue, state == .pending ? nil : at, run, agency, url])
        }
        guard previous != state.rawValue else { return }
        switch state {
        case .done:
            try db.cachedStatement(sql: "UPDATE run_agencies SET pages = pages + 1 WHERE run_id = ? AND agency_id = ?").execute(arguments: [run, agency])
        case .failed:
            try db.cachedStatement(sql: "UPDATE run_agencies SET errors = errors + 1 WHERE run_id = ? AND agency_id = ?").execute(arguments: [run, agency])
        case .pending:
            break
        }
    }

    func requireChange(_ db: Database, _ message: @autoclosure () -> String) throws {
        if db.changesCount == 0 { throw CaseRequestError(message()) }
    }
}

extension ScanRun {
    init(row: Row) {
        let selectionText: String = row["selection"]
        self.init(
            id: row["id"],
            startedAt: row.date("started_at") ?? .distantPast,
            finishedAt: row.date("finished_at"),
            status: RunStatus(rawValue: row["status"]) ?? .failed,
            selection: (try? JSONDecoder().decode(RunSelection.self, from: Data(selectionText.utf8))) ?? .all,
            optionsJSON: row["options"],
            summaryJSON: row["summary"],
            pid: row["pid"],
            host: row["host"]
        )
    }
}

extension RunAgency {
    init(row: Row) {
        self.init(
            runID: row["run_id"], agencyID: row["agency_id"], registrationNo: row["registration_no"],
            status: RunAgencyStatus(rawValue: row["status"]) ?? .pending,
            pages: row["pages"], errors: row["errors"], error: row["error"],
            startedAt: row.date("started_at"), finishedAt: row.date("finished_at")
        )
    }
}
