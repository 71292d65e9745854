import Foundation
import GRDB

extension CaseStore {
    /// Records a fetched page and the findings on it, in one transaction.
    ///
    /// - The page row is inserted or updated (identified by agency and `page.url`).
    /// - Each finding is matched to its case by (agency, page URL, rule, phrase):
    ///   - new: a case `open` with `first_seen = last_seen = page.fetchedAt`,
    ///     `times_seen = 1`, and a `created` event;
    ///   - existing: `last_seen` moves on, `times_seen` grows by one per run (a case seen
    ///     twice in one run — two occurrences on the page, or the page recorded again on
    ///     resume — counts once), the evidence fields (text, context, location, offsets,
    ///     normalizations, WARC record) are those of this sighting, severity keeps the
    ///     highest seen; a case that was not seen becomes seen (`seen-again` event);
    ///     a `closed` case is reopened (`open`, `reopened_count` + 1, `reopened` event).
    ///     A `dismissed` case stays dismissed: it was judged a false positive.
    ///   Two findings with the same rule and phrase on the page are one case; the first
    ///   one given is its evidence.
    /// - When `complete` (the page was fetched and matched in full), every other case of
    ///   this agency and page that was seen gets `not_seen = true` and a `not-seen` event,
    ///   and the page records this run as its last complete scan. Pass `false` when the
    ///   page was only partly read (truncated body…): absent findings then prove nothing.
    /// - The page's frontier row in this run is marked `done`.
    @discardableResult
    public func recordPage(
        run: RunID, agency: AgencyID, page: PageRecord, findings: [FindingRecord], complete: Bool
    ) throws -> PageOutcome {
        let fetchedAt = Timestamp.format(page.fetchedAt)
        return try write { db in
            try requireAgency(db, agency)
            try db.cachedStatement(sql: """
                INSERT INTO pages (agency_id, url, final_url, title, status, content_type, etag, last_modified,
                                   sha256, charset, fetched_at, last_run_id, warc_file, warc_offset,
                                   last_complete_scan_run_id, links)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agency_id, url) DO UPDATE SET
                    final_url = excluded.final_url, title = excluded.title, status = excluded.status,
                    content_type = excluded.content_type, etag = excluded.etag,
                    last_modified = excluded.last_modified, sha256 = excluded.sha256,
                    charset = excluded.charset, fetched_at = excluded.fetched_at,
                    last_run_id = excluded.last_run_id, warc_file = excluded.warc_file,
                    warc_offset = excluded.warc_offset, links = coalesce(excluded.links, pages.links),
                    last_complete_scan_run_id = coalesce(excluded.last_complete_scan_run_id,
                                                         pages.last_complete_scan_run_id)
                """).execute(arguments: [
                    agency, page.url, page.finalURL, page.title, page.status, page.contentType, page.etag,
                    page.lastModified, page.sha256, page.charsetJSON, fetchedAt, run, page.warcFile,
                    page.warcOffset, complete ? run : nil,
                    page.links.flatMap { try? String(data: JSONEncoder().encode($0), encoding: .utf8) },
                ])

            var outcome = PageOutcome()
            var seenKeys = Set<CaseKey>()
            for finding in findings {
                let key = CaseKey(rule: finding.rule, phrase: finding.phrase)
                guard seenKeys.insert(key).inserted else { continue }
                try record(db, finding: finding, run: run, agency: agency, page: page, fetchedAt: fetchedAt,
                           outcome: &outcome)
            }
            if complete {
                outcome.noLongerSeen = try markOthersNotSeen(
                    db, run: run, agency: agency, pageURL: page.url, seen: seenKeys, at: fetchedAt
                )
            }
            try markFrontier(db, run: run, agency: agency, url: page.url, state: .done, at: fetchedAt)
            return outcome
        }
    }

    /// Records a `304 Not Modified` for a page on a rescan: the page is unchanged since its
    /// last complete scan, so the cases seen there are seen again (`last_seen`, `times_seen`
    /// once per run; a closed one is reopened as in `recordPage`), cases not seen stay not
    /// seen, and the page counts as completely scanned in this run. Its frontier row is
    /// marked done. The page must have been recorded before.
    @discardableResult
    public func recordNotModified(run: RunID, agency: AgencyID, url: String, fetchedAt date: Date) throws -> PageOutcome {
        let fetchedAt = Timestamp.format(date)
        return try write { db in
            try db.cachedStatement(sql: """
                UPDATE pages SET fetched_at = ?, last_run_id = ?, last_complete_scan_run_id = ?
                WHERE agency_id = ? AND url = ?
                """).execute(arguments: [fetchedAt, run, run, agency, url])
            try requireChange(db, "304 Not Modified for \(url), but agency \(agency) has no stored page with that URL")
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM cases WHERE agency_id = ? AND page_url = ? AND not_seen = 0 ORDER BY id"), arguments: [agency, url])
            var outcome = PageOutcome()
            for row in rows {
                try sighted(db, existing: row, run: run, at: fetchedAt, evidence: nil, outcome: &outcome)
            }
            try markFrontier(db, run: run, agency: agency, url: url, state: .done, at: fetchedAt)
            return outcome
        }
    }

    /// Validators for a conditional request when rescanning a page: its ETag and
    /// Last-Modified, but only if its latest fetch was completely scanned (otherwise a
    /// 304 would skip a page whose findings were never fully recorded). Nil, nil if none.
    public func conditionalHeaders(agency: AgencyID, url: String) throws -> (etag: String?, lastModified: String?) {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT etag, last_modified FROM pages
                WHERE agency_id = ? AND url = ? AND last_complete_scan_run_id IS NOT NULL
                  AND last_complete_scan_run_id = last_run_id
                """), arguments: [agency, url]) else { return (nil, nil) }
            return (row["etag"], row["last_modified"])
        }
    }

    /// What a rescan of an agency can reuse from earlier scans: for every page whose latest
    /// fetch was completely scanned, its validators (for conditional requests) and its
    /// outlinks (to crawl on through a 304). Keyed by page URL.
    public func rescanHints(agency: AgencyID) throws -> [String: RescanHint] {
        try read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT url, etag, last_modified, links FROM pages
                WHERE agency_id = ? AND last_complete_scan_run_id IS NOT NULL
                  AND last_complete_scan_run_id = last_run_id
                """), arguments: [agency])
            var hints: [String: RescanHint] = [:]
            for row in rows {
                let linksJSON: String? = row["links"]
                let links = linksJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
                hints[row["url"]] = RescanHint(etag: row["etag"], lastModified: row["last_modified"], links: links)
            }
            return hints
        }
    }

    /// The stored page of an agency with this URL.
    public func page(agency: AgencyID, url: String) throws -> StoredPage? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM pages WHERE agency_id = ? AND url = ?"), arguments: [agency, url])
                .map(StoredPage.init(row:))
        }
    }

    // MARK: - Internals

    private struct CaseKey: Hashable {
        var rule: String
        var phrase: String
    }

    private func requireAgency(_ db: Database, _ agency: AgencyID) throws {
        if try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM agencies WHERE id = ?"), arguments: [agency]) == nil {
            throw CaseRequestError("no agency with id \(agency)")
        }
    }

    private func record(
        _ db: Database, finding: FindingRecord, run: RunID, agency: AgencyID, page: PageRecord, fetchedAt: String,
        outcome: inout PageOutcome
    ) throws {
        if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM cases WHERE agency_id = ? AND page_url = ? AND rule = ? AND phrase = ?"), arguments: [agency, page.url, finding.rule, finding.phrase]) {
            try sighted(db, existing: existing, run: run, at: fetchedAt,
                        evidence: (finding, page), outcome: &outcome)
            return
        }
        try db.cachedStatement(sql: """
            INSERT INTO cases (agency_id, page_url, rule, category, severity, phrase, text, context, location,
                               byte_start, byte_end, normalizations, basis, description, first_seen, last_seen,
                               times_seen, first_run_id, last_run_id, status, not_seen, reopened_count,
                               warc_file, warc_offset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'open', 0, 0, ?, ?)
            """).execute(arguments: [
                agency, page.url, finding.rule, finding.category, finding.severity.rawValue, finding.phrase,
                finding.text, finding.context, finding.location, finding.byteStart, finding.byteEnd,
                jsonText(finding.normalizations), finding.basis, finding.description, fetchedAt, fetchedAt,
                run, run, page.warcFile, page.warcOffset,
            ])
        try addEvent(db, caseID: db.lastInsertedRowID, at: fetchedAt, by: Self.scanActor(run), kind: .created,
                     from: nil, to: .open, note: nil, run: run)
        outcome.newCases += 1
    }

    /// An existing case was seen in `run` (with new evidence, or unchanged content on a 304).
    private func sighted(
        _ db: Database, existing: Row, run: RunID, at: String, evidence: (FindingRecord, PageRecord)?,
        outcome: inout PageOutcome
    ) throws {
        let id: Int64 = existing["id"]
        let lastRun: Int64? = existing["last_run_id"]
        let sameRun = lastRun == run
        let lastSeen: String = existing["last_seen"]
        let wasNotSeen: Bool = existing["not_seen"]
        let status = CaseStatus(rawValue: existing["status"]) ?? .open
        let reopen = status == .closed

        try db.cachedStatement(sql: """
            UPDATE cases SET last_seen = ?, times_seen = times_seen + ?, last_run_id = ?, not_seen = 0,
                status = ?, reopened_count = reopened_count + ?
            WHERE id = ?
            """).execute(arguments: [
                max(lastSeen, at), sameRun ? 0 : 1, run, reopen ? CaseStatus.open.rawValue : status.rawValue,
                reopen ? 1 : 0, id,
            ])
        if let (finding, page) = evidence {
            let oldSeverity = CaseSeverity(rawValue: existing["severity"]) ?? .low
            try db.cachedStatement(sql: """
                UPDATE cases SET category = ?, severity = ?, text = ?, context = ?, location = ?, byte_start = ?,
                    byte_end = ?, normalizations = ?, basis = ?, description = ?, warc_file = ?, warc_offset = ?
                WHERE id = ?
                """).execute(arguments: [
                    finding.category, max(oldSeverity, finding.severity).rawValue, finding.text, finding.context,
                    finding.location, finding.byteStart, finding.byteEnd, jsonText(finding.normalizations),
                    finding.basis, finding.description, page.warcFile, page.warcOffset, id,
                ])
        }
        let by = Self.scanActor(run)
        if wasNotSeen {
            try addEvent(db, caseID: id, at: at, by: by, kind: .seenAgain, from: nil, to: nil,
                         note: "seen again on the page", run: run)
        }
        if reopen {
            try addEvent(db, caseID: id, at: at, by: by, kind: .reopened, from: .closed, to: .open,
                         note: "reopened: the closed case was seen again on the page", run: run)
            outcome.reopened += 1
        }
        if !sameRun { outcome.seenAgain += 1 }
    }

    private func markOthersNotSeen(
        _ db: Database, run: RunID, agency: AgencyID, pageURL: String, seen: Set<CaseKey>, at: String
    ) throws -> Int {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, rule, phrase FROM cases WHERE agency_id = ? AND page_url = ? AND not_seen = 0"), arguments: [agency, pageURL])
        var count = 0
        for row in rows where !seen.contains(CaseKey(rule: row["rule"], phrase: row["phrase"])) {
            let id: Int64 = row["id"]
            try db.cachedStatement(sql: "UPDATE cases SET not_seen = 1 WHERE id = ?").execute(arguments: [id])
            try addEvent(db, caseID: id, at: at, by: Self.scanActor(run), kind: .notSeen, from: nil, to: nil,
                         note: "no longer found on the page (complete scan)", run: run)
            count += 1
        }
        return count
    }

    package static func scanActor(_ run: RunID) -> String { "scan run \(run)" }

    func addEvent(
        _ db: Database, caseID: CaseID, at: String, by: String, kind: CaseEventKind, from: CaseStatus?,
        to: CaseStatus?, note: String?, run: RunID?
    ) throws {
        try db.cachedStatement(sql: """
            INSERT INTO case_events (case_id, at, by, kind, from_status, to_status, note, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [caseID, at, by, kind.rawValue, from?.rawValue, to?.rawValue, note, run])
    }
}

extension StoredPage {
    init(row: Row) {
        self.init(
            agencyID: row["agency_id"], url: row["url"], finalURL: row["final_url"], title: row["title"],
            status: row["status"], contentType: row["content_type"], etag: row["etag"],
            lastModified: row["last_modified"], sha256: row["sha256"], charsetJSON: row["charset"],
            fetchedAt: row.date("fetched_at") ?? .distantPast, lastRunID: row["last_run_id"],
            warcFile: row["warc_file"], warcOffset: row["warc_offset"],
            lastCompleteScanRunID: row["last_complete_scan_run_id"]
        )
    }
}
