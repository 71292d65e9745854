import Foundation

/// A problem met while reading a file: which member, and what went wrong.
public struct WARCReadProblem: Sendable, Error, CustomStringConvertible {
    public var offset: Int64
    public var error: WARCError
    public var description: String { error.description }
}

/// Everything a lenient scan of one file found.
public struct WARCScan: Sendable {
    /// Records that read cleanly, in file order.
    public var records: [WARCRecord]
    /// Members that could not be read (e.g. a torn last record after a crash).
    public var problems: [WARCReadProblem]
}

/// Reads `.warc.gz` files written one gzip member per record.
public enum WARCReader {
    /// All records of a file, in order. Throws on the first unreadable member;
    /// use `scan(file:)` to keep the records before it.
    public static func records(inFile url: URL) throws -> [WARCRecord] {
        let result = try scan(file: url)
        if let first = result.problems.first { throw first.error }
        return result.records
    }

    /// Reads every member. A member that fails is reported in `problems`; when it was truncated
    /// (end of file inside the member) reading stops there, otherwise it resumes at the next gzip header.
    public static func scan(file url: URL) throws -> WARCScan {
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        var records: [WARCRecord] = []
        var problems: [WARCReadProblem] = []
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var offset = 0
            while offset < bytes.count {
                do {
                    let (record, consumed) = try readMember(bytes, at: offset)
                    records.append(record)
                    offset += consumed
                } catch let error as WARCError {
                    problems.append(WARCReadProblem(offset: Int64(offset), error: error))
                    if case .truncatedMember = error { break }
                    if case .malformedRecord = error, let skip = memberLength(bytes, at: offset) {
                        offset += skip
                        continue
                    }
                    guard let next = nextGzipHeader(bytes, after: offset) else { break }
                    offset = next
                } catch {
                    problems.append(WARCReadProblem(offset: Int64(offset), error: .malformedRecord(offset: Int64(offset), reason: "\(error)")))
                    break
                }
            }
        }
        return WARCScan(records: records, problems: problems)
    }

    /// Seeks to `location` and reads the one record there.
    public static func record(at location: WARCLocation, in directory: URL) throws -> WARCRecord {
        let url = directory.appendingPathComponent(location.file)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let fileSize = try handle.seekToEnd()
        guard location.offset >= 0, UInt64(location.offset) < fileSize else {
            throw WARCError.truncatedMember(offset: location.offset)
        }
        // Read a window; grow it while the member runs past it.
        var window = 256 * 1024
        while true {
            try handle.seek(toOffset: UInt64(location.offset))
            let chunk = try handle.read(upToCount: window) ?? Data()
            do {
                return try chunk.withUnsafeBytes { raw in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    var (record, _) = try readMember(bytes, at: 0)
                    record.offset = location.offset
                    return record
                }
            } catch WARCError.truncatedMember {
                if UInt64(location.offset) + UInt64(chunk.count) >= fileSize {
                    throw WARCError.truncatedMember(offset: location.offset)
                }
                window *= 4
            } catch let WARCError.corruptMember(_, message) {
                throw WARCError.corruptMember(offset: location.offset, message: message)
            } catch let WARCError.malformedRecord(_, reason) {
                throw WARCError.malformedRecord(offset: location.offset, reason: reason)
            }
        }
    }

    /// Checks every record: readable, WARC-Block-Digest and (for HTTP records) WARC-Payload-Digest.
    /// Returns one line per problem; empty means the file verified.
    public static func verify(file: URL) throws -> [String] {
        let result = try scan(file: file)
        var problems = result.problems.map { "offset \($0.offset): \($0.description)" }
        for r in result.records {
            let id = r.recordID ?? "?"
            let where_ = "offset \(r.offset) \(r.type ?? "?") \(id)"
            if r.recordID == nil { problems.append("\(where_): no WARC-Record-ID") }
            if r.header("WARC-Date") == nil { problems.append("\(where_): no WARC-Date") }
            if let d = r.header("WARC-Block-Digest") {
                switch WARCDigest.matches(d, r.block) {
                case false?: problems.append("\(where_): block digest mismatch \(d)")
                case nil: problems.append("\(where_): unsupported block digest \(d)")
                default: break
                }
            }
            if let d = r.header("WARC-Payload-Digest") {
                if let body = r.httpBody {
                    switch WARCDigest.matches(d, body) {
                    case false?: problems.append("\(where_): payload digest mismatch \(d)")
                    case nil: problems.append("\(where_): unsupported payload digest \(d)")
                    default: break
                    }
                } else {
                    problems.append("\(where_): payload digest without an HTTP body")
                }
            }
        }
        return problems
    }

    // MARK: - Internals

    /// Inflates one member at `offset` and parses it as a record. Returns the record and the member size.
    static func readMember(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws -> (WARCRecord, Int) {
        let (plain, consumed) = try Gzip.inflateMember(bytes, start: offset, fileOffset: Int64(offset))
        let record = try parseRecord(plain, offset: Int64(offset), memberLength: consumed)
        return (record, consumed)
    }

    static func memberLength(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        (try? Gzip.inflateMember(bytes, start: offset, fileOffset: Int64(offset)))?.consumed
    }

    static func nextGzipHeader(_ bytes: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int? {
        var i = offset + 1
        while i + 2 < bytes.count {
            if bytes[i] == 0x1f, bytes[i + 1] == 0x8b, bytes[i + 2] == 0x08 { return i }
            i += 1
        }
        return nil
    }

    /// Parses `WARC/x.y` CRLF, fields, CRLF, block, CRLF CRLF.
    static func parseRecord(_ plain: [UInt8], offset: Int64, memberLength: Int) throws -> WARCRecord {
        guard let headEnd = HTTPMessage.headerEnd(plain) else {
            throw WARCError.malformedRecord(offset: offset, reason: "no end of header")
        }
        let headText = String(decoding: plain[..<(headEnd - 4)], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let version = lines.removeFirst()
        guard version.hasPrefix("WARC/") else {
            throw WARCError.malformedRecord(offset: offset, reason: "bad version line \(version.prefix(40))")
        }
        var headers: [(String, String)] = []
        for line in lines {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let field = HTTPMessage.splitField(line) {
                headers.append(field)
            } else {
                throw WARCError.malformedRecord(offset: offset, reason: "bad field line \(line.prefix(40))")
            }
        }
        guard let lengthText = headers.first(where: { $0.0.lowercased() == "content-length" })?.1,
              let length = Int(lengthText), length >= 0 else {
            throw WARCError.malformedRecord(offset: offset, reason: "missing or bad Content-Length")
        }
        guard headEnd + length <= plain.count else {
            throw WARCError.malformedRecord(offset: offset, reason: "block shorter than Content-Length \(length)")
        }
        let tail = plain[(headEnd + length)...]
        guard tail.starts(with: [13, 10, 13, 10]) else {
            throw WARCError.malformedRecord(offset: offset, reason: "record does not end with CRLF CRLF")
        }
        return WARCRecord(headers: headers, block: Array(plain[headEnd..<(headEnd + length)]),
                          offset: offset, memberLength: memberLength)
    }
}

extension WARCReader {
    /// The raw bytes of the gzip member (one record) at `location`: what a shared database
    /// keeps so that any machine can re-read the record without the WARC file.
    public static func memberBytes(at location: WARCLocation, in directory: URL) throws -> Data {
        let record = try record(at: location, in: directory)
        let handle = try FileHandle(forReadingFrom: directory.appendingPathComponent(location.file))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(location.offset))
        let data = try handle.read(upToCount: record.memberLength) ?? Data()
        guard data.count == record.memberLength else { throw WARCError.truncatedMember(offset: location.offset) }
        return data
    }

    /// Reads the one record in a gzip member held in memory (see ``memberBytes(at:in:)``).
    public static func record(member data: Data, offset: Int64 = 0) throws -> WARCRecord {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { buffer in
            var (record, _) = try readMember(buffer, at: 0)
            record.offset = offset
            return record
        }
    }
}
