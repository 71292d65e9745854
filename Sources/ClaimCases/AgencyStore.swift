import Foundation
import GRDB

extension CaseStore {
    /// The CSV columns `importAgencies` needs (in any order; others are ignored).
    public static let agencyCSVColumns = ["name", "registration_no", "region", "urls"]

    /// Imports the agency register from CSV text.
    ///
    /// The file is UTF-8, with or without a BOM (as Excel writes it), CRLF or LF line
    /// endings, RFC 4180 quoting. The header row names the columns `name`,
    /// `registration_no`, `region` and `urls` in any order (case-insensitive; extra columns
    /// are ignored). `urls` holds one or more http(s) start URLs separated by `;` (or `；`).
    /// `name`, `registration_no` and `urls` are required in every row; `region` may be
    /// empty. Empty lines (also lines of only commas) are skipped.
    ///
    /// Every bad row is reported (``AgencyImportError``, `FILE:line: why`, where line is
    /// the physical line the record starts on) and then nothing is imported: the import
    /// is one transaction. Agencies already registered are updated by registration
    /// number (name, region, urls); agencies missing from the file are left alone.
    @discardableResult
    public func importAgencies(csvText: String, fileName: String) throws -> ImportSummary {
        let rows = try Self.parseAgencyCSV(csvText, fileName: fileName)
        let now = self.now
        return try write { db in
            var summary = ImportSummary()
            for row in rows {
                let urls = jsonText(row.urls)
                if let existing = try Row.fetchOne(
                    db, sql: "SELECT id, name, region, urls FROM agencies WHERE registration_no = ?",
                    arguments: [row.registrationNo]
                ) {
                    if existing["name"] == row.name, existing["region"] == row.region,
                       existing.stringArray("urls") == row.urls {
                        summary.unchanged += 1
                    } else {
                        try db.execute(
                            sql: "UPDATE agencies SET name = ?, region = ?, urls = ?, updated_at = ? WHERE id = ?",
                            arguments: [row.name, row.region, urls, now, existing["id"] as Int64]
                        )
                        summary.updated += 1
                    }
                } else {
                    try db.execute(
                        sql: """
                        INSERT INTO agencies (registration_no, name, region, urls, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                        arguments: [row.registrationNo, row.name, row.region, urls, now, now]
                    )
                    summary.added += 1
                }
            }
            return summary
        }
    }

    /// Adds or updates one agency (by registration number) without a CSV file.
    @discardableResult
    public func upsertAgency(registrationNo: String, name: String, region: String, urls: [String]) throws -> AgencyID {
        let now = self.now
        return try write { db in
            try db.execute(
                sql: """
                INSERT INTO agencies (registration_no, name, region, urls, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (registration_no) DO UPDATE SET
                    name = excluded.name, region = excluded.region, urls = excluded.urls,
                    updated_at = excluded.updated_at
                """,
                arguments: [registrationNo, name, region, jsonText(urls), now, now]
            )
            return try Int64.fetchOne(
                db, sql: "SELECT id FROM agencies WHERE registration_no = ?", arguments: [registrationNo]
            )!
        }
    }

    /// All agencies, by registration number.
    public func agencies() throws -> [Agency] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM agencies ORDER BY registration_no").map(Agency.init(row:))
        }
    }

    /// The agency with this registration number.
    public func agency(registrationNo: String) throws -> Agency? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM agencies WHERE registration_no = ?", arguments: [registrationNo])
                .map(Agency.init(row:))
        }
    }

    /// The agency with this id.
    public func agency(id: AgencyID) throws -> Agency? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM agencies WHERE id = ?", arguments: [id]).map(Agency.init(row:))
        }
    }

    // MARK: - Parsing

    package struct AgencyCSVRow {
        package var line: Int
        package var name: String
        package var registrationNo: String
        package var region: String
        package var urls: [String]
    }

    package static func parseAgencyCSV(_ text: String, fileName: String) throws(AgencyImportError) -> [AgencyCSVRow] {
        func fail(_ issues: [ImportIssue]) -> AgencyImportError {
            AgencyImportError(fileName: fileName, issues: issues)
        }
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            throw fail([ImportIssue(line: error.line, message: "quoted field is never closed (missing \")")])
        }
        let nonEmpty = records.filter { record in
            !record.fields.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }
        guard let header = nonEmpty.first else {
            throw fail([ImportIssue(line: 1, message: "the file is empty; expected a header row with columns "
                + agencyCSVColumns.joined(separator: ", "))])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var column: [String: Int] = [:]
        var headerIssues: [ImportIssue] = []
        for (i, name) in names.enumerated() where agencyCSVColumns.contains(name) {
            if column[name] != nil {
                headerIssues.append(ImportIssue(line: header.line, message: "column \(name) appears twice in the header"))
            }
            column[name] = i
        }
        let missing = agencyCSVColumns.filter { column[$0] == nil }
        if !missing.isEmpty {
            headerIssues.append(ImportIssue(
                line: header.line,
                message: "missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                    + "(header has: \(names.joined(separator: ", ")))"
            ))
        }
        if !headerIssues.isEmpty { throw fail(headerIssues) }

        var issues: [ImportIssue] = []
        var rows: [AgencyCSVRow] = []
        var seen: [String: Int] = [:]
        for record in nonEmpty.dropFirst() {
            func value(_ name: String) -> String? {
                let i = column[name]!
                return i < record.fields.count ? record.fields[i].trimmingCharacters(in: .whitespacesAndNewlines) : nil
            }
            var rowIssues: [String] = []
            if record.fields.count < names.count {
                rowIssues.append("has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), "
                    + "the header has \(names.count)")
            }
            let name = value("name") ?? ""
            let reg = value("registration_no") ?? ""
            let region = value("region") ?? ""
            let urlField = value("urls") ?? ""
            if record.fields.count >= names.count {
                if name.isEmpty { rowIssues.append("name is empty") }
                if reg.isEmpty { rowIssues.append("registration_no is empty") }
            }
            var urls: [String] = []
            if record.fields.count >= names.count {
                let parts = urlField.split(whereSeparator: { $0 == ";" || $0 == "；" })
                    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    .filter { !$0.isEmpty }
                if parts.isEmpty { rowIssues.append("urls is empty; give one or more http(s) start URLs separated by ;") }
                for part in parts {
                    if let why = urlProblem(part) {
                        rowIssues.append("bad URL \"\(part)\": \(why)")
                    } else if !urls.contains(part) {
                        urls.append(part)
                    }
                }
            }
            if !reg.isEmpty {
                if let first = seen[reg] {
                    rowIssues.append("registration_no \(reg) already appears on line \(first)")
                } else {
                    seen[reg] = record.line
                }
            }
            if rowIssues.isEmpty {
                rows.append(AgencyCSVRow(line: record.line, name: name, registrationNo: reg, region: region, urls: urls))
            } else {
                issues += rowIssues.map { ImportIssue(line: record.line, message: $0) }
            }
        }
        if !issues.isEmpty { throw fail(issues) }
        return rows
    }

    /// Why `text` is not an acceptable start URL, or nil.
    static func urlProblem(_ text: String) -> String? {
        if text.contains(where: { $0.isWhitespace }) { return "contains spaces" }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "not a URL (expected http:// or https://)"
        }
        guard scheme == "http" || scheme == "https" else {
            return "scheme \(scheme): is not http or https"
        }
        guard let host = components.host, !host.isEmpty else { return "no host name" }
        return nil
    }
}

extension Agency {
    init(row: Row) {
        self.init(
            id: row["id"], registrationNo: row["registration_no"], name: row["name"], region: row["region"],
            urls: row.stringArray("urls"),
            createdAt: row.date("created_at") ?? .distantPast, updatedAt: row.date("updated_at") ?? .distantPast
        )
    }
}
