/// A minimal RFC 4180 reader and writer.
enum CSV {
    /// One record, with the physical line (1-based) where it starts.
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct UnterminatedQuote: Error {
        var line: Int
    }

    /// Parses CSV text: a UTF-8 BOM is skipped; CRLF, LF and CR end records;
    /// quoted fields may hold commas, `""` and line breaks. Lenient elsewhere: a stray
    /// quote inside an unquoted field is kept as a character.
    static func parse(_ text: String) throws(UnterminatedQuote) -> [Record] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var wasQuoted = false
        var index = scalars.startIndex

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        func endRecord() {
            endField()
            records.append(Record(line: recordLine, fields: fields))
            fields = []
        }

        while index < scalars.endIndex {
            let c = scalars[index]
            scalars.formIndex(after: &index)
            if inQuotes {
                if c == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append("\"")
                        scalars.formIndex(after: &index)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\r" {
                        if index < scalars.endIndex, scalars[index] == "\n" {
                            field.append("\r")
                            field.append("\n")
                            scalars.formIndex(after: &index)
                        } else {
                            field.append(c)
                        }
                        line += 1
                        continue
                    }
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !wasQuoted:
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            case ",":
                endField()
            case "\r", "\n":
                if c == "\r", index < scalars.endIndex, scalars[index] == "\n" {
                    scalars.formIndex(after: &index)
                }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if inQuotes { throw UnterminatedQuote(line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// Quotes a field if it holds a comma, quote, CR or LF (RFC 4180).
    static func quote(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}
