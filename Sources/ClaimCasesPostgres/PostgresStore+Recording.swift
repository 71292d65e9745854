import ClaimCases
import Foundation
import PostgresNIO

/// Recording pages and findings: the same rules as ``CaseStore/recordPage(run:agency:page:findings:complete:)``.
/// A case row is locked (`FOR UPDATE`) before it is updated, and created with
/// `ON CONFLICT DO NOTHING` on its identity (agency, page URL, rule, phrase), so two workers
/// recording the same page (one whose lease expired, one that took the agency over) still
/// make one case, counted once per run.
extension PostgresStore {
    @discardableResult
    public func recordPage(
        run: RunID, agency: AgencyID, page: PageRecord, findings: [FindingRecord], complete: Bool
    ) throws -> PageOutcome {
        let fetchedAt = Timestamp.format(page.fetchedAt)
        let links = page.links.flatMap { try? String(data: JSONEncoder().encode($0), encoding: .utf8) }
        let completeRun: RunID? = complete ? run : nil
        return try transaction { tx in
            guard try tx.one("SELECT id FROM agencies WHERE id = \(agency)") != nil else {
                throw CaseRequestError("no agency with id \(agency)")
            }
            try tx.execute("""
                INSERT INTO pages (agency_id, url, final_url, title, status, content_type, etag, last_modified,
                                   sha256, charset, fetched_at, last_run_id, warc_file, warc_offset,
                                   last_complete_scan_run_id, links)
                VALUES (\(agency), \(page.url), \(page.finalURL), \(page.title), \(page.status), \(page.contentType),
                        \(page.etag), \(page.lastModified), \(page.sha256), \(page.charsetJSON), \(fetchedAt), \(run),
                        \(page.warcFile), \(page.warcOffset), \(completeRun), \(links))
                ON CONFLICT (agency_id, url) DO UPDATE SET
                    final_url = excluded.final_url, title = excluded.title, status = excluded.status,
                    content_type = excluded.content_type, etag = excluded.etag,
                    last_modified = excluded.last_modified, sha256 = excluded.sha256,
                    charset = excluded.charset, fetched_at = excluded.fetched_at,
                    last_run_id = excluded.last_run_id, warc_file = excluded.warc_file,
                    warc_offset = excluded.warc_offset, links = coalesce(excluded.links, pages.links),
                    last_complete_scan_run_id = coalesce(excluded.last_complete_scan_run_id,
                                                         pages.last_complete_scan_run_id)
                """)
            var outcome = PageOutcome()
            var seenKeys = Set<CaseKey>()
            for finding in findings {
                let key = CaseKey(rule: finding.rule, phrase: finding.phrase)
                guard seenKeys.insert(key).inserted else { continue }
                try record(tx, finding: finding, run: run, agency: agency, page: page, fetchedAt: fetchedAt, outcome: &outcome)
            }
            if complete {
                outcome.noLongerSeen = try markOthersNotSeen(tx, run: run, agency: agency, pageURL: page.url, seen: seenKeys, at: fetchedAt)
            }
            try markFrontier(tx, run: run, agency: agency, url: page.url, state: .done, at: fetchedAt)
            return outcome
        }
    }

    @discardableResult
    public func recordNotModified(run: RunID, agency: AgencyID, url: String, fetchedAt date: Date) throws -> PageOutcome {
        let fetchedAt = Timestamp.format(date)
        return try transaction { tx in
            guard try tx.execute("""
                UPDATE pages SET fetched_at = \(fetchedAt), last_run_id = \(run), last_complete_scan_run_id = \(run)
                WHERE agency_id = \(agency) AND url = \(url)
                """) > 0 else {
                throw CaseRequestError("304 Not Modified for \(url), but agency \(agency) has no stored page with that URL")
            }
            var outcome = PageOutcome()
            for row in try tx.rows("SELECT * FROM cases WHERE agency_id = \(agency) AND page_url = \(url) AND NOT not_seen ORDER BY id FOR UPDATE") {
                try sighted(tx, existing: row, run: run, at: fetchedAt, evidence: nil, outcome: &outcome)
            }
            try markFrontier(tx, run: run, agency: agency, url: url, state: .done, at: fetchedAt)
            return outcome
        }
    }

    public func conditionalHeaders(agency: AgencyID, url: String) throws -> (etag: String?, lastModified: String?) {
        try transaction { tx in
            guard let row = try tx.one("""
                SELECT etag, last_modified FROM pages
                WHERE agency_id = \(agency) AND url = \(url) AND last_complete_scan_run_id IS NOT NULL
                  AND last_complete_scan_run_id = last_run_id
                """) else { return (nil, nil) }
            return (try row.optionalString("etag"), try row.optionalString("last_modified"))
        }
    }

    public func rescanHints(agency: AgencyID) throws -> [String: RescanHint] {
        try transaction { tx in
            var hints: [String: RescanHint] = [:]
            for row in try tx.rows("""
                SELECT url, etag, last_modified, links FROM pages
                WHERE agency_id = \(agency) AND last_complete_scan_run_id IS NOT NULL
                  AND last_complete_scan_run_id = last_run_id
                """) {
                let links = try row.stringArray("links")
                hints[try row.string("url")] = RescanHint(etag: try row.optionalString("etag"),
                                                          lastModified: try row.optionalString("last_modified"), links: links)
            }
            return hints
        }
    }

    public func page(agency: AgencyID, url: String) throws -> StoredPage? {
        try transaction { tx in try tx.one("SELECT * FROM pages WHERE agency_id = \(agency) AND url = \(url)").map(StoredPage.init(pg:)) }
    }

    // MARK: - Evidence

    public func storeEvidence(agency: AgencyID, url: String, record: SharedEvidence) throws {
        let now = self.now
        let bytes = ByteBuffer(bytes: record.gzipRecord)
        _ = try transaction { tx in
            try tx.execute("""
                INSERT INTO evidence (agency_id, url, warc_file, warc_offset, record, sha256, stored_at)
                VALUES (\(agency), \(url), \(record.warcFile), \(record.warcOffset), \(bytes), \(record.sha256), \(now))
                ON CONFLICT (warc_file, warc_offset) DO NOTHING
                """)
        }
    }

    public func sharedEvidence(warcFile: String, warcOffset: Int64) throws -> SharedEvidence? {
        try transaction { tx in
            guard let row = try tx.one("SELECT record, sha256 FROM evidence WHERE warc_file = \(warcFile) AND warc_offset = \(warcOffset)") else { return nil }
            let buffer = try row["record"].decode(ByteBuffer.self)
            return SharedEvidence(warcFile: warcFile, warcOffset: warcOffset,
                                  gzipRecord: Data(buffer.readableBytesView), sha256: try row.string("sha256"))
        }
    }

    // MARK: - Internals

    private struct CaseKey: Hashable {
        var rule: String
        var phrase: String
    }

    private func record(
        _ tx: PGTx, finding: FindingRecord, run: RunID, agency: AgencyID, page: PageRecord, fetchedAt: String,
        outcome: inout PageOutcome
    ) throws {
        let select: PostgresQuery = "SELECT * FROM cases WHERE agency_id = \(agency) AND page_url = \(page.url) AND rule = \(finding.rule) AND phrase = \(finding.phrase) FOR UPDATE"
        if let existing = try tx.one(select) {
            try sighted(tx, existing: existing, run: run, at: fetchedAt, evidence: (finding, page), outcome: &outcome)
            return
        }
        let normalizations = jsonText(finding.normalizations)
        let inserted = try tx.one("""
            INSERT INTO cases (agency_id, page_url, rule, category, severity, phrase, text, context, location,
                               byte_start, byte_end, normalizations, basis, description, first_seen, last_seen,
                               times_seen, first_run_id, last_run_id, status, not_seen, reopened_count,
                               warc_file, warc_offset)
            VALUES (\(agency), \(page.url), \(finding.rule), \(finding.category), \(finding.severity.rawValue),
                    \(finding.phrase), \(finding.text), \(finding.context), \(finding.location), \(finding.byteStart),
                    \(finding.byteEnd), \(normalizations), \(finding.basis), \(finding.description), \(fetchedAt),
                    \(fetchedAt), 1, \(run), \(run), 'open', false, 0, \(page.warcFile), \(page.warcOffset))
            ON CONFLICT (agency_id, page_url, rule, phrase) DO NOTHING
            RETURNING id
            """)
        guard let inserted else {
            // Another transaction created it just now: it is an existing case after all.
            if let existing = try tx.one(select) {
                try sighted(tx, existing: existing, run: run, at: fetchedAt, evidence: (finding, page), outcome: &outcome)
            }
            return
        }
        try addEvent(tx, caseID: try inserted.int64("id"), at: fetchedAt, by: CaseStore.scanActor(run), kind: .created,
                     from: nil, to: .open, note: nil, run: run)
        outcome.newCases += 1
    }

    private func sighted(
        _ tx: PGTx, existing: PostgresRandomAccessRow, run: RunID, at: String, evidence: (FindingRecord, PageRecord)?,
        outcome: inout PageOutcome
    ) throws {
        let id = try existing.int64("id")
        let sameRun = try existing.optionalInt64("last_run_id") == run
        let lastSeen = try existing.string("last_seen")
        let wasNotSeen = try existing.bool("not_seen")
        let status = CaseStatus(rawValue: try existing.string("status")) ?? .open
        let reopen = status == .closed
        let newStatus = reopen ? CaseStatus.open.rawValue : status.rawValue
        let newLastSeen = max(lastSeen, at)
        try tx.execute("""
            UPDATE cases SET last_seen = \(newLastSeen), times_seen = times_seen + \(sameRun ? 0 : 1), last_run_id = \(run),
                not_seen = false, status = \(newStatus), reopened_count = reopened_count + \(reopen ? 1 : 0)
            WHERE id = \(id)
            """)
        if let (finding, page) = evidence {
            let oldSeverity = CaseSeverity(rawValue: try existing.string("severity")) ?? .low
            let severity = max(oldSeverity, finding.severity).rawValue
            let normalizations = jsonText(finding.normalizations)
            try tx.execute("""
                UPDATE cases SET category = \(finding.category), severity = \(severity), text = \(finding.text),
                    context = \(finding.context), location = \(finding.location), byte_start = \(finding.byteStart),
                    byte_end = \(finding.byteEnd), normalizations = \(normalizations), basis = \(finding.basis),
                    description = \(finding.description), warc_file = \(page.warcFile), warc_offset = \(page.warcOffset)
                WHERE id = \(id)
                """)
        }
        let by = CaseStore.scanActor(run)
        if wasNotSeen {
            try addEvent(tx, caseID: id, at: at, by: by, kind: .seenAgain, from: nil, to: nil, note: "seen again on the page", run: run)
        }
        if reopen {
            try addEvent(tx, caseID: id, at: at, by: by, kind: .reopened, from: .closed, to: .open,
                         note: "reopened: the closed case was seen again on the page", run: run)
            outcome.reopened += 1
        }
        if !sameRun { outcome.seenAgain += 1 }
    }

    private func markOthersNotSeen(
        _ tx: PGTx, run: RunID, agency: AgencyID, pageURL: String, seen: Set<CaseKey>, at: String
    ) throws -> Int {
        var count = 0
        for row in try tx.rows("SELECT id, rule, phrase FROM cases WHERE agency_id = \(agency) AND page_url = \(pageURL) AND NOT not_seen ORDER BY id FOR UPDATE") {
            guard !seen.contains(CaseKey(rule: try row.string("rule"), phrase: try row.string("phrase"))) else { continue }
            let id = try row.int64("id")
            try tx.execute("UPDATE cases SET not_seen = true WHERE id = \(id)")
            try addEvent(tx, caseID: id, at: at, by: CaseStore.scanActor(run), kind: .notSeen, from: nil, to: nil,
                         note: "no longer found on the page (complete scan)", run: run)
            count += 1
        }
        return count
    }

    func addEvent(
        _ tx: PGTx, caseID: CaseID, at: String, by: String, kind: CaseEventKind, from: CaseStatus?,
        to: CaseStatus?, note: String?, run: RunID?
    ) throws {
        try tx.execute("""
            INSERT INTO case_events (case_id, at, "by", kind, from_status, to_status, note, run_id)
            VALUES (\(caseID), \(at), \(by), \(kind.rawValue), \(from?.rawValue), \(to?.rawValue), \(note), \(run))
            """)
    }
}

extension StoredPage {
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            agencyID: try row.int64("agency_id"), url: try row.string("url"), finalURL: try row.optionalString("final_url"),
            title: try row.optionalString("title"), status: try row.optionalInt("status"),
            contentType: try row.optionalString("content_type"), etag: try row.optionalString("etag"),
            lastModified: try row.optionalString("last_modified"), sha256: try row.optionalString("sha256"),
            charsetJSON: try row.optionalString("charset"), fetchedAt: try row.date("fetched_at") ?? .distantPast,
            lastRunID: try row.optionalInt64("last_run_id"), warcFile: try row.optionalString("warc_file"),
            warcOffset: try row.optionalInt64("warc_offset"),
            lastCompleteScanRunID: try row.optionalInt64("last_complete_scan_run_id"))
    }
}
