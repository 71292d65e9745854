import Foundation

extension CaseRow {
    /// The export columns, in order (CSV header and JSON keys).
    public static let exportColumns = [
        "id", "agency", "registration_no", "region", "url", "final_url", "title", "rule", "category", "severity",
        "status", "text", "phrase", "context", "location", "first_seen", "last_seen", "times_seen", "not_seen",
        "reopened_count", "warc_file", "warc_offset", "byte_start", "byte_end", "normalizations", "basis",
        "description", "first_run_id", "last_run_id",
    ]

    /// The CSV header line (no line break).
    public static var csvHeader: String { exportColumns.joined(separator: ",") }

    /// The row's values as export strings, in `exportColumns` order. Timestamps are
    /// ISO 8601 UTC; normalizations are joined with `;`; booleans are `true`/`false`.
    public var exportValues: [String] {
        [
            String(id), agency, registrationNo, region, url, finalURL ?? "", title ?? "", rule, category,
            severity.rawValue, status.rawValue, text, phrase, context, location, Timestamp.format(firstSeen),
            Timestamp.format(lastSeen), String(timesSeen), notSeen ? "true" : "false", String(reopenedCount),
            warcFile ?? "", warcOffset.map(String.init) ?? "", String(byteStart), String(byteEnd),
            normalizations.joined(separator: ";"), basis, description, firstRunID.map(String.init) ?? "",
            lastRunID.map(String.init) ?? "",
        ]
    }

    /// One CSV record (RFC 4180 quoting, no line break).
    ///
    /// With `spreadsheetSafe` (the default) a text value that starts with `=`, `+`, `-`,
    /// `@`, tab or carriage return gets a leading `'` so that a spreadsheet does not run
    /// it as a formula: page text comes from agencies' websites and is not trusted.
    public func csvRecord(spreadsheetSafe: Bool = true) -> String {
        exportValues.enumerated().map { index, value in
            let numeric = Self.numericColumns.contains(index)
            let safe = spreadsheetSafe && !numeric && Self.looksLikeFormula(value) ? "'" + value : value
            return CSV.quote(safe)
        }.joined(separator: ",")
    }

    /// A whole CSV document: header and rows, CRLF line endings, optionally with a UTF-8
    /// BOM so that Excel reads it as UTF-8.
    public static func csvDocument(_ rows: [CaseRow], bom: Bool = false, spreadsheetSafe: Bool = true) -> String {
        var out = bom ? "\u{FEFF}" : ""
        out += csvHeader + "\r\n"
        for row in rows { out += row.csvRecord(spreadsheetSafe: spreadsheetSafe) + "\r\n" }
        return out
    }

    /// The row as a JSON object (keys as in `exportColumns`; numbers, booleans, null, and
    /// `normalizations` as an array), sorted keys, one line.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Rows as a JSON array (pretty-printed).
    public static func jsonDocument(_ rows: [CaseRow]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private static let numericColumns: Set<Int> = Set(
        ["id", "times_seen", "reopened_count", "warc_offset", "byte_start", "byte_end", "first_run_id", "last_run_id"]
            .compactMap { exportColumns.firstIndex(of: $0) }
    )

    private static func looksLikeFormula(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first else { return false }
        return ["=", "+", "-", "@", "\t", "\r"].contains(first)
    }
}

extension CaseRow: Encodable {
    private enum Keys: String, CodingKey {
        case id, agency, registrationNo = "registration_no", region, url, finalURL = "final_url", title, rule,
             category, severity, status, text, phrase, context, location, firstSeen = "first_seen",
             lastSeen = "last_seen", timesSeen = "times_seen", notSeen = "not_seen",
             reopenedCount = "reopened_count", warcFile = "warc_file", warcOffset = "warc_offset",
             byteStart = "byte_start", byteEnd = "byte_end", normalizations, basis, description,
             firstRunID = "first_run_id", lastRunID = "last_run_id"
    }

    /// Encodes with snake_case keys (as in `exportColumns`) and ISO 8601 UTC timestamps;
    /// absent optional values are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(agency, forKey: .agency)
        try c.encode(registrationNo, forKey: .registrationNo)
        try c.encode(region, forKey: .region)
        try c.encode(url, forKey: .url)
        try c.encode(finalURL, forKey: .finalURL)
        try c.encode(title, forKey: .title)
        try c.encode(rule, forKey: .rule)
        try c.encode(category, forKey: .category)
        try c.encode(severity.rawValue, forKey: .severity)
        try c.encode(status.rawValue, forKey: .status)
        try c.encode(text, forKey: .text)
        try c.encode(phrase, forKey: .phrase)
        try c.encode(context, forKey: .context)
        try c.encode(location, forKey: .location)
        try c.encode(Timestamp.format(firstSeen), forKey: .firstSeen)
        try c.encode(Timestamp.format(lastSeen), forKey: .lastSeen)
        try c.encode(timesSeen, forKey: .timesSeen)
        try c.encode(notSeen, forKey: .notSeen)
        try c.encode(reopenedCount, forKey: .reopenedCount)
        try c.encode(warcFile, forKey: .warcFile)
        try c.encode(warcOffset, forKey: .warcOffset)
        try c.encode(byteStart, forKey: .byteStart)
        try c.encode(byteEnd, forKey: .byteEnd)
        try c.encode(normalizations, forKey: .normalizations)
        try c.encode(basis, forKey: .basis)
        try c.encode(description, forKey: .description)
        try c.encode(firstRunID, forKey: .firstRunID)
        try c.encode(lastRunID, forKey: .lastRunID)
    }
}

extension CaseEvent: Encodable {
    private enum Keys: String, CodingKey {
        case id, caseID = "case_id", at, by, kind, fromStatus = "from_status", toStatus = "to_status", note,
             runID = "run_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(Timestamp.format(at), forKey: .at)
        try c.encode(by, forKey: .by)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(fromStatus?.rawValue, forKey: .fromStatus)
        try c.encode(toStatus?.rawValue, forKey: .toStatus)
        try c.encode(note, forKey: .note)
        try c.encode(runID, forKey: .runID)
    }
}

extension CaseStore {
    /// Formats a date as the store and its exports do: ISO 8601 UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String { Timestamp.format(date) }
}
