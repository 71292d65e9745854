import ClaimCases
import Foundation
import PostgresNIO

/// Listing and working cases: the same filters, order, workflow and audit log as the SQLite store.
extension PostgresStore {
    public func cases(filter: CaseFilter) throws -> [CaseRow] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let statuses = filter.statuses {
            if statuses.isEmpty { return [] }
            let list = statuses.map(\.rawValue).sorted()
            conditions.append("c.status IN (\(list.map { bind($0) }.joined(separator: ", ")))")
        }
        if let minimum = filter.minimumSeverity {
            conditions.append("\(QueueSQL.severityRank) >= \(bind(minimum.rank))")
        }
        if let category = filter.category { conditions.append("c.category = \(bind(category))") }
        if let reg = filter.registrationNo { conditions.append("a.registration_no = \(bind(reg))") }
        if let region = filter.region {
            let p = bind(region)
            conditions.append("substr(a.region, 1, length(\(p))) = \(p)")
        }
        if let since = filter.since { conditions.append("c.last_seen >= \(bind(Timestamp.format(since)))") }
        if let notSeen = filter.notSeen { conditions.append("c.not_seen = \(bind(notSeen))") }
        var sql = QueueSQL.caseRowSelect
        if !conditions.isEmpty { sql += "\nWHERE " + conditions.joined(separator: " AND ") }
        // `COLLATE "C"`: byte order, as SQLite compares text (the database's locale might not).
        sql += "\nORDER BY \(QueueSQL.severityRank) DESC, c.last_seen COLLATE \"C\" DESC, c.id DESC"
        if let limit = filter.limit { sql += " LIMIT \(bind(limit))" }
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try transaction { tx in try tx.rows(query).map(CaseRow.init(pg:)) }
    }

    public func `case`(_ id: CaseID) throws -> CaseDetail? {
        try transaction { tx in try detail(tx, id) }
    }

    @discardableResult
    public func updateCase(_ id: CaseID, to status: CaseStatus, note: String?, by: String) throws -> CaseDetail {
        let by = by.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let cleanNote = (note?.isEmpty ?? true) ? nil : note
        let now = self.now
        return try transaction { tx in
            guard let current = try tx.one("SELECT status FROM cases WHERE id = \(id) FOR UPDATE")
                .flatMap({ CaseStatus(rawValue: try $0.string("status")) })
            else { throw CaseRequestError("no case with id \(id)") }
            guard !by.isEmpty else { throw CaseRequestError("case \(id): say who is changing the status (by)") }
            if current == status { throw CaseRequestError("case \(id) is already \(status.rawValue)") }
            guard current.allowedTransitions.contains(status) else {
                let allowed = current.allowedTransitions.map(\.rawValue).joined(separator: " or ")
                throw CaseRequestError(
                    "case \(id) is \(current.rawValue): it cannot become \(status.rawValue) "
                        + "(from \(current.rawValue) it can only become \(allowed))")
            }
            if status == .dismissed, cleanNote == nil {
                throw CaseRequestError("case \(id): dismissing needs a note saying why it is a false positive")
            }
            try tx.execute("UPDATE cases SET status = \(status.rawValue), reopened_count = reopened_count + \(status == .open ? 1 : 0) WHERE id = \(id)")
            try addEvent(tx, caseID: id, at: now, by: by, kind: status == .open ? .reopened : .status,
                         from: current, to: status, note: cleanNote, run: nil)
            return try detail(tx, id)!
        }
    }

    public func caseCounts() throws -> [CaseStatus: Int] {
        try transaction { tx in
            var counts: [CaseStatus: Int] = [:]
            for row in try tx.rows("SELECT status, count(*) AS n FROM cases GROUP BY status") {
                if let status = CaseStatus(rawValue: try row.string("status")) { counts[status] = try row.int("n") }
            }
            return counts
        }
    }

    private func detail(_ tx: PGTx, _ id: CaseID) throws -> CaseDetail? {
        guard let row = try tx.one(PostgresQuery(unsafeSQL: QueueSQL.caseRowSelect + "\nWHERE c.id = $1", binds: {
            var b = PostgresBindings(); b.append(id); return b
        }())) else { return nil }
        let events = try tx.rows("SELECT * FROM case_events WHERE case_id = \(id) ORDER BY id").map(CaseEvent.init(pg:))
        return CaseDetail(row: try CaseRow(pg: row), events: events)
    }
}

extension CaseRow {
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.int64("id"), agencyID: try row.int64("agency_id"), agency: try row.string("agency_name"),
            registrationNo: try row.string("registration_no"), region: try row.string("region"), url: try row.string("page_url"),
            finalURL: try row.optionalString("final_url"), title: try row.optionalString("title"), rule: try row.string("rule"),
            category: try row.string("category"),
            severity: CaseSeverity(rawValue: try row.string("severity")) ?? .low,
            status: CaseStatus(rawValue: try row.string("status")) ?? .open,
            text: try row.string("text"), phrase: try row.string("phrase"), context: try row.string("context"),
            location: try row.string("location"), byteStart: try row.int("byte_start"), byteEnd: try row.int("byte_end"),
            normalizations: try row.stringArray("normalizations"), basis: try row.string("basis"),
            description: try row.string("description"),
            firstSeen: try row.date("first_seen") ?? .distantPast, lastSeen: try row.date("last_seen") ?? .distantPast,
            timesSeen: try row.int("times_seen"), firstRunID: try row.optionalInt64("first_run_id"),
            lastRunID: try row.optionalInt64("last_run_id"), notSeen: try row.bool("not_seen"),
            reopenedCount: try row.int("reopened_count"), warcFile: try row.optionalString("warc_file"),
            warcOffset: try row.optionalInt64("warc_offset"))
    }
}

extension CaseEvent {
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.int64("id"), caseID: try row.int64("case_id"), at: try row.date("at") ?? .distantPast,
            by: try row.string("by"), kind: CaseEventKind(rawValue: try row.string("kind")) ?? .status,
            fromStatus: try row.optionalString("from_status").flatMap(CaseStatus.init(rawValue:)),
            toStatus: try row.optionalString("to_status").flatMap(CaseStatus.init(rawValue:)),
            note: try row.optionalString("note"), runID: try row.optionalInt64("run_id"))
    }
}
