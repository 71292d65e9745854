import ClaimCases
import Foundation
import PostgresNIO

extension PostgresStore {
    // MARK: - Scan runs

    public func startRun(selection: RunSelection, optionsJSON: String) throws -> RunID {
        let now = self.now
        return try transaction { tx in try insertRun(tx, selection: selection, optionsJSON: optionsJSON, now: now) }
    }

    /// Creates the run, its run-agency rows and its work units (agencies sharing a host are one unit).
    func insertRun(_ tx: PGTx, selection: RunSelection, optionsJSON: String, now: String) throws -> RunID {
        var chosen: [(id: AgencyID, urls: [String])] = []
        switch selection {
        case .all:
            chosen = try tx.rows("SELECT id, urls FROM agencies ORDER BY registration_no").map { (try $0.int64("id"), try $0.stringArray("urls")) }
        case .agencies(let regNos):
            var unknown: [String] = []
            for reg in regNos {
                if let row = try tx.one("SELECT id, urls FROM agencies WHERE registration_no = \(reg)") {
                    let id = try row.int64("id")
                    if !chosen.contains(where: { $0.id == id }) { chosen.append((id, try row.stringArray("urls"))) }
                } else {
                    unknown.append(reg)
                }
            }
            if !unknown.isEmpty {
                throw CaseRequestError("unknown registration number\(unknown.count == 1 ? "" : "s"): "
                    + unknown.joined(separator: ", ") + " (import the agency register first)")
            }
        }
        let selectionJSON = jsonText(selection)
        let pid = Int(ProcessIdentity.pid)
        let host = ProcessIdentity.host
        let run = try tx.one("""
            INSERT INTO scan_runs (started_at, status, selection, options, pid, host)
            VALUES (\(now), 'running', \(selectionJSON), \(optionsJSON), \(pid), \(host)) RETURNING id
            """)!.int64("id")
        for (number, unit) in workUnits(chosen).enumerated() {
            let hosts = jsonText(unit.hosts)
            try tx.execute("INSERT INTO run_units (run_id, unit_no, hosts) VALUES (\(run), \(number), \(hosts))")
            for agency in unit.agencies {
                try tx.execute("INSERT INTO run_agencies (run_id, agency_id, unit_no, status) VALUES (\(run), \(agency), \(number), 'pending')")
            }
        }
        return run
    }

    public func unfinishedRun() throws -> ScanRun? {
        try transaction { tx in
            try tx.one("SELECT * FROM scan_runs WHERE status IN ('running', 'interrupted') ORDER BY id DESC LIMIT 1").map(ScanRun.init(pg:))
        }
    }

    public func run(_ id: RunID) throws -> ScanRun? {
        try transaction { tx in try tx.one("SELECT * FROM scan_runs WHERE id = \(id)").map(ScanRun.init(pg:)) }
    }

    public func runs(limit: Int) throws -> [ScanRun] {
        try transaction { tx in try tx.rows("SELECT * FROM scan_runs ORDER BY id DESC LIMIT \(limit)").map(ScanRun.init(pg:)) }
    }

    public func resumeRun(_ id: RunID) throws {
        let pid = Int(ProcessIdentity.pid)
        let host = ProcessIdentity.host
        try transaction { tx in
            guard try tx.execute("UPDATE scan_runs SET status = 'running', finished_at = NULL, pid = \(pid), host = \(host) WHERE id = \(id)") > 0 else {
                throw CaseRequestError("no scan run \(id)")
            }
            try tx.execute("UPDATE run_agencies SET status = 'pending' WHERE run_id = \(id) AND status = 'running'")
        }
    }

    public func finishRun(_ id: RunID, status: RunStatus, summaryJSON: String?) throws {
        let finished: String? = status == .running ? nil : now
        try transaction { tx in
            guard try tx.execute("UPDATE scan_runs SET status = \(status.rawValue), finished_at = \(finished), summary = coalesce(\(summaryJSON), summary) WHERE id = \(id)") > 0 else {
                throw CaseRequestError("no scan run \(id)")
            }
        }
    }

    // MARK: - Agencies within a run

    public func runAgencies(_ run: RunID) throws -> [RunAgency] {
        try transaction { tx in
            try tx.rows("""
                SELECT ra.*, a.registration_no FROM run_agencies ra JOIN agencies a ON a.id = ra.agency_id
                WHERE ra.run_id = \(run) ORDER BY a.registration_no
                """).map(RunAgency.init(pg:))
        }
    }

    public func markAgencyStarted(run: RunID, agency: AgencyID) throws {
        try setAgencyStatus(run: run, agency: agency, status: .running, error: nil)
    }

    public func markAgencyDone(run: RunID, agency: AgencyID) throws {
        try setAgencyStatus(run: run, agency: agency, status: .done, error: nil)
    }

    public func markAgencyFailed(run: RunID, agency: AgencyID, error: String) throws {
        try setAgencyStatus(run: run, agency: agency, status: .failed, error: error)
    }

    private func setAgencyStatus(run: RunID, agency: AgencyID, status: RunAgencyStatus, error: String?) throws {
        let now = self.now
        try transaction { tx in
            let changed: Int
            switch status {
            case .running:
                changed = try tx.execute("""
                    UPDATE run_agencies SET status = 'running', started_at = coalesce(started_at, \(now)),
                        finished_at = NULL, error = NULL
                    WHERE run_id = \(run) AND agency_id = \(agency)
                    """)
            default:
                let finished: String? = status == .pending ? nil : now
                changed = try tx.execute("UPDATE run_agencies SET status = \(status.rawValue), finished_at = \(finished), error = \(error) WHERE run_id = \(run) AND agency_id = \(agency)")
            }
            if changed == 0 { throw CaseRequestError("agency \(agency) is not part of scan run \(run)") }
        }
    }

    // MARK: - Frontier

    @discardableResult
    public func addToFrontier(run: RunID, agency: AgencyID, _ entries: [FrontierEntry]) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let now = self.now
        return try transaction { tx in
            var added = 0
            for entry in entries {
                added += try tx.execute("""
                    INSERT INTO frontier (run_id, agency_id, url, depth, state, discovered_at)
                    VALUES (\(run), \(agency), \(entry.url), \(entry.depth), 'pending', \(now))
                    ON CONFLICT (run_id, agency_id, url) DO NOTHING
                    """)
            }
            return added
        }
    }

    public func markFetched(run: RunID, agency: AgencyID, url: String, state: FrontierState, at date: Date?) throws {
        let at = Timestamp.format(date ?? clock())
        try transaction { tx in try markFrontier(tx, run: run, agency: agency, url: url, state: state, at: at) }
    }

    public func frontier(run: RunID, agency: AgencyID) throws -> FrontierSnapshot {
        try transaction { tx in
            var snapshot = FrontierSnapshot(done: [], failed: [], pending: [])
            for row in try tx.rows("SELECT url, depth, state FROM frontier WHERE run_id = \(run) AND agency_id = \(agency) ORDER BY depth, seq") {
                let url = try row.string("url")
                switch FrontierState(rawValue: try row.string("state")) {
                case .done: snapshot.done.append(url)
                case .failed: snapshot.failed.append(url)
                default: snapshot.pending.append(FrontierEntry(url: url, depth: try row.int("depth")))
                }
            }
            return snapshot
        }
    }

    /// As the SQLite store: sets the state, counts the page or error for the agency once.
    func markFrontier(_ tx: PGTx, run: RunID, agency: AgencyID, url: String, state: FrontierState, at: String) throws {
        let previous = try tx.one("SELECT state FROM frontier WHERE run_id = \(run) AND agency_id = \(agency) AND url = \(url) FOR UPDATE")
            .map { try $0.string("state") }
        if previous == nil {
            try tx.execute("""
                INSERT INTO frontier (run_id, agency_id, url, depth, state, discovered_at, fetched_at)
                VALUES (\(run), \(agency), \(url), 0, \(state.rawValue), \(at), \(at))
                ON CONFLICT (run_id, agency_id, url) DO UPDATE SET state = excluded.state, fetched_at = excluded.fetched_at
                """)
        } else {
            let fetched: String? = state == .pending ? nil : at
            try tx.execute("UPDATE frontier SET state = \(state.rawValue), fetched_at = \(fetched) WHERE run_id = \(run) AND agency_id = \(agency) AND url = \(url)")
        }
        guard previous != state.rawValue else { return }
        switch state {
        case .done:
            try tx.execute("UPDATE run_agencies SET pages = pages + 1 WHERE run_id = \(run) AND agency_id = \(agency)")
        case .failed:
            try tx.execute("UPDATE run_agencies SET errors = errors + 1 WHERE run_id = \(run) AND agency_id = \(agency)")
        case .pending:
            break
        }
    }
}

extension ScanRun {
    init(pg row: PostgresRandomAccessRow) throws {
        let selectionText = try row.string("selection")
        self.init(
            id: try row.int64("id"),
            startedAt: try row.date("started_at") ?? .distantPast,
            finishedAt: try row.date("finished_at"),
            status: RunStatus(rawValue: try row.string("status")) ?? .failed,
            selection: (try? JSONDecoder().decode(RunSelection.self, from: Data(selectionText.utf8))) ?? .all,
            optionsJSON: try row.string("options"),
            summaryJSON: try row.optionalString("summary"),
            pid: Int32(truncatingIfNeeded: try row.int("pid")),
            host: try row.string("host"))
    }
}

extension RunAgency {
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            runID: try row.int64("run_id"), agencyID: try row.int64("agency_id"),
            registrationNo: try row.string("registration_no"),
            status: RunAgencyStatus(rawValue: try row.string("status")) ?? .pending,
            pages: try row.int("pages"), errors: try row.int("errors"), error: try row.optionalString("error"),
            startedAt: try row.date("started_at"), finishedAt: try row.date("finished_at"))
    }
}
