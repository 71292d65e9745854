import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func posixClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}

private func posixWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buf, count)
    #else
    return Darwin.write(fd, buf, count)
    #endif
}

/// gethostname(2), without the DNS lookups ProcessInfo.hostName may do.
private func localHostName() -> String {
    var buf = [CChar](repeating: 0, count: 256)
    guard gethostname(&buf, buf.count - 1) == 0 else { return "unknown" }
    let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// A value guarded by a lock (Mutex needs macOS 15; the package targets macOS 14).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Writes HTTP exchanges as WARC 1.1 records into rolling `.warc.gz` files, one gzip member per record.
///
/// - Every file starts with a `warcinfo` record; the request, response and metadata records of one
///   exchange always go to the same file, and a file rolls over before an exchange would push it past
///   `maxFileBytes` (a file holding a single oversized exchange may exceed it; nothing is ever split).
/// - Each exchange is appended with one `write` loop; if it fails the file is truncated back to its
///   previous length, so earlier records stay intact. `flush()` fsyncs. After a kill -9 at most the
///   last member is torn, and readers report it as an error for that record only.
/// - Thread-safe: records are compressed outside the lock, appended under it.
public final class WARCWriter: Sendable {
    public let directory: URL
    public let maxFileBytes: Int64
    public let software: String
    private let extraInfo: [(String, String)]
    private let state: Locked<State>

    private struct State {
        var fd: Int32 = -1
        var fileName: String = ""
        var size: Int64 = 0
        var warcinfoID: String = ""
        var generation: Int = 0  // bumps with every new file
        var serial: Int = 0
        var recordsInFile: Int = 0  // beyond warcinfo
        var closed = false
        var dirty = false
        var files: [String] = []
    }

    /// - Parameters:
    ///   - directory: created if missing.
    ///   - maxFileBytes: roll over to a new file before exceeding this size.
    ///   - software: the warcinfo `software` field.
    ///   - warcinfo: extra `application/warc-fields` pairs for each warcinfo record (e.g. `operator`, `description`).
    public init(directory: URL, maxFileBytes: Int64 = 100_000_000, software: String = "claimscan/0.1",
                warcinfo: [(String, String)] = []) throws {
        self.directory = directory
        self.maxFileBytes = max(1024, maxFileBytes)
        self.software = software
        self.extraInfo = warcinfo.map { ($0.0, $0.1) }
        self.state = Locked(State())
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? close()
    }

    /// The name of the file being written (nil before the first write or after close).
    public var currentFile: String? {
        state.withLock { $0.fd >= 0 ? $0.fileName : nil }
    }

    /// All files this writer created, in order.
    public var files: [String] {
        state.withLock { $0.files }
    }

    /// Writes the response, request and (unless `.none`) metadata records for one exchange.
    /// The request and metadata records carry `WARC-Concurrent-To: <response id>`; metadata also
    /// `WARC-Refers-To`. Returns where the response record's gzip member starts.
    @discardableResult
    public func write(_ exchange: HTTPExchange, metadata: WARCMetadata) throws -> WARCLocation {
        let ids = (response: RecordBuilder.newRecordID(), request: RecordBuilder.newRecordID(), metadata: RecordBuilder.newRecordID())
        // Compress outside the lock against the current warcinfo; redo under the lock if the file changed.
        let snapshot = state.withLock { ($0.warcinfoID, $0.generation, $0.fd >= 0) }
        var prepared = snapshot.2 ? try members(exchange, metadata: metadata, ids: ids, warcinfoID: snapshot.0) : nil
        return try state.withLock { st in
            guard !st.closed else { throw WARCError.closed }
            if st.fd < 0 {
                try openNewFile(&st)
                prepared = nil
            }
            var gen = st.generation
            if prepared == nil || snapshot.1 != gen {
                prepared = try members(exchange, metadata: metadata, ids: ids, warcinfoID: st.warcinfoID)
            }
            var parts = prepared!
            if st.recordsInFile > 0 && st.size + Int64(parts.total) > maxFileBytes {
                try finishFile(&st)
                try openNewFile(&st)
                gen = st.generation
                parts = try members(exchange, metadata: metadata, ids: ids, warcinfoID: st.warcinfoID)
            }
            let location = WARCLocation(file: st.fileName, offset: st.size)
            try append(&st, parts.bytes)
            st.recordsInFile += parts.count
            return location
        }
    }

    /// Convenience: metadata as `application/warc-fields` pairs (no metadata record when empty).
    @discardableResult
    public func write(_ exchange: HTTPExchange, metadata: [(String, String)]) throws -> WARCLocation {
        try write(exchange, metadata: metadata.isEmpty ? .none : .fields(metadata))
    }

    /// Convenience: metadata as a JSON document (`application/json`).
    @discardableResult
    public func write(_ exchange: HTTPExchange, metadataJSON: String) throws -> WARCLocation {
        try write(exchange, metadata: .json(metadataJSON))
    }

    /// fsyncs the current file (its directory entry was synced when it was created).
    public func flush() throws {
        try state.withLock { st in
            guard st.fd >= 0, st.dirty else { return }
            if fsync(st.fd) != 0 { throw WARCError.io(operation: "fsync", path: st.fileName, errno: errno) }
            st.dirty = false
        }
    }

    /// fsyncs and closes the current file. Further writes throw `WARCError.closed`.
    public func close() throws {
        try state.withLock { st in
            guard !st.closed else { return }
            st.closed = true
            try finishFile(&st)
        }
    }

    // MARK: - Internals

    private struct Members {
        var bytes: [UInt8]
        var count: Int
        var total: Int { bytes.count }
    }

    private func members(_ ex: HTTPExchange, metadata: WARCMetadata,
                         ids: (response: String, request: String, metadata: String), warcinfoID: String) throws -> Members {
        let date = RecordBuilder.warcDate(ex.date)
        let uri = HTTPMessage.clean(ex.targetURI)
        var common: [(String, String)] = [("WARC-Date", date), ("WARC-Target-URI", uri), ("WARC-Warcinfo-ID", warcinfoID)]
        if let ip = ex.ipAddress, !ip.isEmpty { common.append(("WARC-IP-Address", ip)) }

        let (respBlock, bodyStart) = RecordBuilder.responseBlock(ex)
        var respFields: [(String, String)] = [("WARC-Type", "response"), ("WARC-Record-ID", ids.response)]
        respFields += common
        respFields.append(("Content-Type", "application/http;msgtype=response"))
        respFields.append(("WARC-Payload-Digest", WARCDigest.sha256(respBlock[bodyStart...])))
        if let t = ex.truncated { respFields.append(("WARC-Truncated", t)) }
        var bytes = try Gzip.member(RecordBuilder.record(fields: respFields, block: respBlock))

        var reqFields: [(String, String)] = [("WARC-Type", "request"), ("WARC-Record-ID", ids.request)]
        reqFields += common
        reqFields.append(("WARC-Concurrent-To", ids.response))
        reqFields.append(("Content-Type", "application/http;msgtype=request"))
        bytes += try Gzip.member(RecordBuilder.record(fields: reqFields, block: RecordBuilder.requestBlock(ex)))
        var count = 2

        let metaBlock: [UInt8]?
        let metaType: String
        switch metadata {
        case .fields(let pairs): metaBlock = RecordBuilder.warcFields(pairs); metaType = "application/warc-fields"
        case .json(let text): metaBlock = Array(text.utf8); metaType = "application/json"
        case .none: metaBlock = nil; metaType = ""
        }
        if let metaBlock {
            var f: [(String, String)] = [("WARC-Type", "metadata"), ("WARC-Record-ID", ids.metadata)]
            f += common
            f.append(("WARC-Concurrent-To", ids.response))
            f.append(("WARC-Refers-To", ids.response))
            f.append(("Content-Type", metaType))
            bytes += try Gzip.member(RecordBuilder.record(fields: f, block: metaBlock))
            count += 1
        }
        return Members(bytes: bytes, count: count)
    }

    private func openNewFile(_ st: inout State) throws {
        let now = Date()
        var random = SystemRandomNumberGenerator()
        let suffix = String(format: "%08x", UInt32.random(in: .min ... .max, using: &random))
        let name = "claimscan-\(RecordBuilder.fileTimestamp(now))-\(String(format: "%05d", st.serial))-\(suffix).warc.gz"
        let path = directory.appendingPathComponent(name).path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WARCError.io(operation: "open", path: path, errno: errno) }
        st.fd = fd
        st.fileName = name
        st.size = 0
        st.serial += 1
        st.generation += 1
        st.recordsInFile = 0
        st.files.append(name)

        let infoID = RecordBuilder.newRecordID()
        st.warcinfoID = infoID
        let hostname = localHostName()
        var info: [(String, String)] = [
            ("software", software),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
            ("hostname", hostname),
        ]
        info += extraInfo
        let fields: [(String, String)] = [
            ("WARC-Type", "warcinfo"), ("WARC-Record-ID", infoID),
            ("WARC-Date", RecordBuilder.warcDate(now)), ("WARC-Filename", name),
            ("Content-Type", "application/warc-fields"),
        ]
        let member = try Gzip.member(RecordBuilder.record(fields: fields, block: RecordBuilder.warcFields(info)))
        try append(&st, member)
        // Make the new directory entry durable too.
        let dfd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); _ = posixClose(dfd) }
    }

    private func finishFile(_ st: inout State) throws {
        guard st.fd >= 0 else { return }
        let fd = st.fd
        st.fd = -1
        let syncFailed = fsync(fd) != 0 ? errno : 0
        _ = posixClose(fd)
        st.dirty = false
        if syncFailed != 0 { throw WARCError.io(operation: "fsync", path: st.fileName, errno: syncFailed) }
    }

    /// Appends all of `bytes` or, on failure, truncates the file back so no partial member remains.
    private func append(_ st: inout State, _ bytes: [UInt8]) throws {
        let start = st.size
        var written = 0
        let err: Int32 = bytes.withUnsafeBytes { buf in
            while written < buf.count {
                let n = posixWrite(st.fd, buf.baseAddress! + written, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        if err != 0 {
            _ = ftruncate(st.fd, off_t(start))
            throw WARCError.io(operation: "write", path: st.fileName, errno: err)
        }
        st.size += Int64(bytes.count)
        st.dirty = true
    }
}
