import Foundation
import GRDB

extension CaseStore {
    /// Cases matching `filter`, most severe first, then most recently seen first.
    public func cases(filter: CaseFilter) throws -> [CaseRow] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let statuses = filter.statuses {
            if statuses.isEmpty { return [] }
            let list = statuses.map(\.rawValue).sorted()
            conditions.append("c.status IN (\(list.map { _ in "?" }.joined(separator: ", ")))")
            for status in list { arguments += [status] }
        }
        if let minimum = filter.minimumSeverity {
            conditions.append("\(QueueSQL.severityRank) >= ?")
            arguments += [minimum.rank]
        }
        if let category = filter.category {
            conditions.append("c.category = ?")
            arguments += [category]
        }
        if let reg = filter.registrationNo {
            conditions.append("a.registration_no = ?")
            arguments += [reg]
        }
        if let region = filter.region {
            conditions.append("substr(a.region, 1, length(?)) = ?")
            arguments += [region, region]
        }
        if let since = filter.since {
            conditions.append("c.last_seen >= ?")
            arguments += [Timestamp.format(since)]
        }
        if let notSeen = filter.notSeen {
            conditions.append("c.not_seen = ?")
            arguments += [notSeen]
        }
        var sql = QueueSQL.caseRowSelect
        if !conditions.isEmpty { sql += "\nWHERE " + conditions.joined(separator: " AND ") }
        sql += "\nORDER BY \(QueueSQL.severityRank) DESC, c.last_seen DESC, c.id DESC"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        let finalSQL = sql
        let finalArguments = arguments
        return try read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArguments).map(CaseRow.init(row:))
        }
    }

    /// One case with its audit log, or nil.
    public func `case`(_ id: CaseID) throws -> CaseDetail? {
        try read { db in try detail(db, id) }
    }

    /// Moves a case through the workflow and writes the audit entry (who, when, from, to, note).
    ///
    /// Allowed: open → confirmed | dismissed; confirmed → closed; dismissed → open and
    /// closed → open (manual reopen). Dismissing needs a note (the reason it is a false
    /// positive). `by` must name who made the change. Anything else throws
    /// ``CaseRequestError`` with the reason, and changes nothing.
    @discardableResult
    public func updateCase(_ id: CaseID, to status: CaseStatus, note: String?, by: String) throws -> CaseDetail {
        let by = by.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let cleanNote = (note?.isEmpty ?? true) ? nil : note
        let now = self.now
        return try write { db in
            guard let current = try String.fetchOne(db, sql: "SELECT status FROM cases WHERE id = ?", arguments: [id])
                .flatMap(CaseStatus.init(rawValue:))
            else { throw CaseRequestError("no case with id \(id)") }
            guard !by.isEmpty else {
                throw CaseRequestError("case \(id): say who is changing the status (by)")
            }
            if current == status {
                throw CaseRequestError("case \(id) is already \(status.rawValue)")
            }
            guard current.allowedTransitions.contains(status) else {
                let allowed = current.allowedTransitions.map(\.rawValue).joined(separator: " or ")
                throw CaseRequestError(
                    "case \(id) is \(current.rawValue): it cannot become \(status.rawValue) "
                        + "(from \(current.rawValue) it can only become \(allowed))"
                )
            }
            if status == .dismissed, cleanNote == nil {
                throw CaseRequestError(
                    "case \(id): dismissing needs a note saying why it is a false positive"
                )
            }
            try db.execute(
                sql: "UPDATE cases SET status = ?, reopened_count = reopened_count + ? WHERE id = ?",
                arguments: [status.rawValue, status == .open ? 1 : 0, id]
            )
            try addEvent(db, caseID: id, at: now, by: by, kind: status == .open ? .reopened : .status,
                         from: current, to: status, note: cleanNote, run: nil)
            return try detail(db, id)!
        }
    }

    /// Counts of cases by status (for a queue overview).
    public func caseCounts() throws -> [CaseStatus: Int] {
        try read { db in
            var counts: [CaseStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM cases GROUP BY status") {
                if let status = CaseStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    private func detail(_ db: Database, _ id: CaseID) throws -> CaseDetail? {
        guard let row = try Row.fetchOne(db, sql: QueueSQL.caseRowSelect + "\nWHERE c.id = ?", arguments: [id]) else {
            return nil
        }
        let events = try Row.fetchAll(
            db, sql: "SELECT * FROM case_events WHERE case_id = ? ORDER BY id", arguments: [id]
        ).map(CaseEvent.init(row:))
        return CaseDetail(row: CaseRow(row: row), events: events)
    }
}

extension CaseRow {
    init(row: Row) {
        self.init(
            id: row["id"], agencyID: row["agency_id"], agency: row["agency_name"],
            registrationNo: row["registration_no"], region: row["region"], url: row["page_url"],
            finalURL: row["final_url"], title: row["title"], rule: row["rule"], category: row["category"],
            severity: CaseSeverity(rawValue: row["severity"]) ?? .low,
            status: CaseStatus(rawValue: row["status"]) ?? .open,
            text: row["text"], phrase: row["phrase"], context: row["context"], location: row["location"],
            byteStart: row["byte_start"], byteEnd: row["byte_end"], normalizations: row.stringArray("normalizations"),
            basis: row["basis"], description: row["description"],
            firstSeen: row.date("first_seen") ?? .distantPast, lastSeen: row.date("last_seen") ?? .distantPast,
            timesSeen: row["times_seen"], firstRunID: row["first_run_id"], lastRunID: row["last_run_id"],
            notSeen: row["not_seen"], reopenedCount: row["reopened_count"],
            warcFile: row["warc_file"], warcOffset: row["warc_offset"]
        )
    }
}

extension CaseEvent {
    init(row: Row) {
        self.init(
            id: row["id"], caseID: row["case_id"], at: row.date("at") ?? .distantPast, by: row["by"],
            kind: CaseEventKind(rawValue: row["kind"]) ?? .status,
            fromStatus: (row["from_status"] as String?).flatMap(CaseStatus.init(rawValue:)),
            toStatus: (row["to_status"] as String?).flatMap(CaseStatus.init(rawValue:)),
            note: row["note"], runID: row["run_id"]
        )
    }
}
