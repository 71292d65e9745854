import ClaimCases
import Foundation
import PostgresNIO

extension PostgresStore {
    /// As ``CaseStore/importAgencies(csvText:fileName:)``: every bad row reported, nothing imported then.
    @discardableResult
    public func importAgencies(csvText: String, fileName: String) throws -> ImportSummary {
        let rows = try CaseStore.parseAgencyCSV(csvText, fileName: fileName)
        let now = self.now
        return try transaction { tx in
            var summary = ImportSummary()
            for row in rows {
                let urls = jsonText(row.urls)
                if let existing = try tx.one("SELECT id, name, region, urls FROM agencies WHERE registration_no = \(row.registrationNo)") {
                    if try existing.string("name") == row.name, try existing.string("region") == row.region,
                       try existing.stringArray("urls") == row.urls {
                        summary.unchanged += 1
                    } else {
                        let id = try existing.int64("id")
                        try tx.execute("UPDATE agencies SET name = \(row.name), region = \(row.region), urls = \(urls), updated_at = \(now) WHERE id = \(id)")
                        summary.updated += 1
                    }
                } else {
                    try tx.execute("""
                        INSERT INTO agencies (registration_no, name, region, urls, created_at, updated_at)
                        VALUES (\(row.registrationNo), \(row.name), \(row.region), \(urls), \(now), \(now))
                        """)
                    summary.added += 1
                }
            }
            return summary
        }
    }

    @discardableResult
    public func upsertAgency(registrationNo: String, name: String, region: String, urls: [String]) throws -> AgencyID {
        let now = self.now
        let urlsJSON = jsonText(urls)
        return try transaction { tx in
            let row = try tx.one("""
                INSERT INTO agencies (registration_no, name, region, urls, created_at, updated_at)
                VALUES (\(registrationNo), \(name), \(region), \(urlsJSON), \(now), \(now))
                ON CONFLICT (registration_no) DO UPDATE SET
                    name = excluded.name, region = excluded.region, urls = excluded.urls, updated_at = excluded.updated_at
                RETURNING id
                """)
            return try row!.int64("id")
        }
    }

    public func agencies() throws -> [Agency] {
        try transaction { tx in try tx.rows("SELECT * FROM agencies ORDER BY registration_no").map(Agency.init(pg:)) }
    }

    public func agency(registrationNo: String) throws -> Agency? {
        try transaction { tx in try tx.one("SELECT * FROM agencies WHERE registration_no = \(registrationNo)").map(Agency.init(pg:)) }
    }

    public func agency(id: AgencyID) throws -> Agency? {
        try transaction { tx in try tx.one("SELECT * FROM agencies WHERE id = \(id)").map(Agency.init(pg:)) }
    }
}

extension Agency {
    init(pg row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.int64("id"), registrationNo: try row.string("registration_no"), name: try row.string("name"),
            region: try row.string("region"), urls: try row.stringArray("urls"),
            createdAt: try row.date("created_at") ?? .distantPast, updatedAt: try row.date("updated_at") ?? .distantPast)
    }
}
