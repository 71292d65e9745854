/// SQL text both case stores use as it is (SQLite and PostgreSQL read it alike), kept once.
package enum QueueSQL {
    /// A case with its agency and page, for listing and showing.
    package static let caseRowSelect = """
        SELECT c.*, a.name AS agency_name, a.registration_no, a.region,
               p.final_url, p.title
        FROM cases c
        JOIN agencies a ON a.id = c.agency_id
        LEFT JOIN pages p ON p.agency_id = c.agency_id AND p.url = c.page_url
        """

    /// A case's severity as a number, for ordering and minimum filters.
    package static let severityRank = """
        CASE c.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END
        """
}
