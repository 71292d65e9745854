import ArgumentParser
import ClaimCases
#if Postgres
import ClaimCasesPostgres
#endif
import ClaimCheck
import ClaimEvidence
import ClaimPage
import ClaimScan
import Foundation

/// `--db`: the case queue. Default `$CLAIMSCAN_DB`, else `./claimscan.db`.
/// A `postgres://` (or `postgresql://`) URL selects PostgreSQL; anything else is an SQLite file.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Case queue: an SQLite file, or postgres://user@host[:port]/database (default: $CLAIMSCAN_DB, else ./claimscan.db).")
    var db: String?

    @Option(name: .long, help: "With PostgreSQL: this machine's folder for WARC evidence files (default: ./claimscan.evidence).")
    var evidence: String?

    var path: String { CaseStore.defaultPath(explicit: db) }

    func open() throws -> any CaseQueue {
        if Self.isPostgresURL(path) {
            #if Postgres
            do {
                return try PostgresStore(
                    url: path, evidenceDirectory: evidence.map { URL(fileURLWithPath: $0, isDirectory: true) },
                    notice: { FileHandle.standardError.write(Data("claimscan: \($0)\n".utf8)) })
            } catch {
                throw Failure(status: 3, message: "\(error)")
            }
            #else
            throw Failure(status: 2, message: "this claimscan was built without PostgreSQL support (the Postgres trait); use an SQLite file")
            #endif
        }
        if evidence != nil {
            throw Failure(status: 2, message: "--evidence is for a PostgreSQL queue; an SQLite queue keeps its evidence beside the file")
        }
        do { return try CaseStore(path: path) } catch { throw Failure(status: 3, message: "\(error)") }
    }

    static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }
}

struct Agencies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies",
        abstract: "The agency registry: import from CSV, list.",
        subcommands: [Import.self, List.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import agencies from a UTF-8 CSV (columns name, registration_no, region, urls; urls separated by ;).",
            discussion: "Re-importing updates agencies by registration_no. Any bad row is reported as FILE:line and nothing is imported.")
        @Argument(help: "CSV file (UTF-8, with or without BOM).") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure(status: 2, message: "cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw Failure(status: 2, message: "\(file): not valid UTF-8 (save the CSV as UTF-8)") }
            let store = try database.open()
            do {
                let summary = try store.importAgencies(csvText: text, fileName: file)
                print("\(file): \(summary)")
            } catch let error as AgencyImportError {
                throw Failure(status: 2, message: error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered agencies.")
        @OptionGroup var database: DatabaseOptions
        @Flag(name: .long, help: "JSON Lines.") var json = false

        func run() throws {
            let store = try database.open()
            let agencies = try store.agencies()
            for a in agencies {
                if json {
                    var o = JSONObject()
                    o["registration_no"] = .string(a.registrationNo)
                    o["name"] = .string(a.name)
                    o["region"] = .string(a.region)
                    o["urls"] = .array(a.urls.map(JSONValue.string))
                    print(JSONValue.object(o).serialized)
                } else {
                    print("\(a.registrationNo)  \(a.name)  \(a.region)  \(a.urls.joined(separator: " ; "))")
                }
            }
            if !json { print("\(agencies.count) agenc\(agencies.count == 1 ? "y" : "ies")") }
        }
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Crawl the registered agencies' sites, check every page, and update the case queue.",
        discussion: """
        An unfinished run (killed, power loss) is resumed without fetching its finished pages again. \
        With --db postgres://…, every `claimscan scan` is a worker of one shared run: start the same \
        command on several machines; the first starts the run, the others join it and share its agencies. \
        Exit status: 0 run complete; 1 complete, but some agencies could not be scanned at all; \
        2 usage error; 3 the run failed or could not start (another scan running, database error, interrupted).
        """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var lexiconOptions: LexiconOptions
    @Option(name: .long, help: "Scan only this agency (registration number); repeatable.") var agency: [String] = []
    @Option(name: .long, help: "Pages per agency at most.") var maxPages = 200
    @Option(name: .long, help: "Link depth at most.") var maxDepth = 4
    @Option(name: .long, help: "Seconds between requests to one host (jittered; 0 for tests).") var delay = 2.0
    @Option(name: .long, help: "Hosts crawled at once.") var concurrency = 32
    @Flag(name: .long, help: "Allow agencies on loopback/private addresses (tests, demos, intranets).") var allowPrivateNetwork = false
    @Flag(name: .long, help: "Ignore robots.txt (only for your own test sites).") var ignoreRobots = false
    @Option(name: .long, help: "Connect timeout, seconds.") var connectTimeout = 10.0
    @Option(name: .long, help: "Whole-transfer timeout, seconds.") var timeout = 30.0
    @Option(name: .long, help: "Largest page body, bytes.") var maxBodyBytes = 10 * 1024 * 1024
    @Option(name: .long, help: "WARC files roll over at this many bytes.") var warcMaxBytes: Int64 = 100_000_000
    @Flag(name: .long, help: "Only notes and the summary.") var quiet = false
    @Flag(name: .long, help: "Print the summary as JSON.") var json = false
    @Option(name: .long, help: "PostgreSQL: seconds a worker's claim on a group of agencies lasts unless renewed (renewed every third).") var lease = 60.0

    func validate() throws {
        guard maxPages > 0, maxDepth >= 0, delay >= 0, concurrency > 0 else {
            throw ValidationError("--max-pages and --concurrency must be positive; --max-depth and --delay not negative")
        }
        guard lease >= 1 else { throw ValidationError("--lease must be at least 1 second") }
        try validateMaxBodyBytes(maxBodyBytes)
    }

    func run() throws {
        MallocPolicy.applyForCrawl()
        let matcher = try lexiconOptions.loadForScanning()
        let store = try database.open()
        var options = ScanOptions()
        options.agencies = agency.isEmpty ? nil : agency
        options.maxPages = maxPages
        options.maxDepth = maxDepth
        options.delay = delay
        options.concurrency = concurrency
        options.allowPrivateNetwork = allowPrivateNetwork
        options.obeyRobots = !ignoreRobots
        options.connectTimeout = connectTimeout
        options.timeout = timeout
        options.maxBodyBytes = maxBodyBytes
        options.warcMaxBytes = warcMaxBytes
        let log = ScanLog(interactive: ScanLog.standardErrorIsTerminal && !quiet, quiet: quiet)
        let job = ScanJob(store: store, matcher: matcher, options: options, log: log, lease: lease)
        let signals = SignalHandlers { job.cancel() }
        defer { signals.restore() }
        let summary: ScanSummary
        do {
            summary = try job.run()
        } catch let error as ScanLockError {
            throw Failure(status: 3, message: error.description)
        } catch {
            throw Failure(status: 3, message: "scan failed: \(error) (run `claimscan scan` again to resume)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(data: try encoder.encode(summary), encoding: .utf8)!)
        } else {
            print(summary.text)
        }
        if summary.status != "complete" { throw ExitCode(3) }
        if summary.sitesFailed > 0 { throw ExitCode(1) }
    }
}

/// SIGINT/SIGTERM stop the crawl cleanly; the run stays resumable.
final class SignalHandlers: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    init(_ handler: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nclaimscan: stopping; run `claimscan scan` again to resume\n".utf8))
                handler()
            }
            source.resume()
            sources.append(source)
        }
    }
    func restore() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Work the case queue: list, show, update, export.",
        subcommands: [List.self, Show.self, Update.self, Export.self]
    )

    struct Filter: ParsableArguments {
        @Option(name: .long, help: "open, confirmed, dismissed or closed (repeatable).") var status: [String] = []
        @Option(name: .long, help: "At least this severity: low, medium, high, critical.") var severity: String?
        @Option(name: .long, help: "Category id, e.g. pass-guarantee.") var category: String?
        @Option(name: .long, help: "Agency registration number.") var agency: String?
        @Option(name: .long, help: "Region (prefix match: 湖南省 matches 湖南省长沙市).") var region: String?
        @Option(name: .long, help: "Last seen on or after this date (YYYY-MM-DD or ISO 8601).") var since: String?
        @Flag(name: .long, help: "Only cases no longer seen on their page.") var notSeen = false
        @Option(name: .long, help: "At most this many.") var limit: Int?

        func make() throws -> CaseFilter {
            var f = CaseFilter.all
            for s in status {
                guard let st = CaseStatus(rawValue: s) else { throw ValidationError("unknown status \(s) (open, confirmed, dismissed, closed)") }
                f.statuses = (f.statuses ?? []).union([st])
            }
            if let severity {
                guard let s = CaseSeverity(rawValue: severity) else { throw ValidationError("unknown severity \(severity)") }
                f.minimumSeverity = s
            }
            f.category = category
            f.registrationNo = agency
            f.region = region
            if let since {
                guard let date = Cases.parseDate(since) else { throw ValidationError("--since: expected YYYY-MM-DD or ISO 8601, got \(since)") }
                f.since = date
            }
            if notSeen { f.notSeen = true }
            f.limit = limit
            return f
        }
    }

    static func parseDate(_ s: String) -> Date? {
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: s) { return d }
        iso.formatOptions = [.withFullDate]
        return iso.date(from: s)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List cases, most severe and most recent first.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filter: Filter
        @Flag(name: .long, help: "JSON Lines.") var json = false
        @Flag(name: .long, help: "CSV with a UTF-8 BOM (opens in Excel with Chinese intact).") var csv = false

        func run() throws {
            let store = try database.open()
            let rows = try store.cases(filter: try filter.make())
            if json { for r in rows { print(r.jsonLine()) }; return }
            if csv { FileHandle.standardOutput.write(Data(CaseRow.csvDocument(rows, bom: true).utf8)); return }
            for r in rows {
                let seen = r.notSeen ? " · not seen" : ""
                print("#\(r.id) [\(r.severity.rawValue)] \(r.status.rawValue)\(seen)  \(r.agency) (\(r.registrationNo))  \(r.rule)")
                print("    「\(r.text)」 \(r.url) · \(r.location) · seen \(r.timesSeen)× · last \(CaseStore.timestamp(r.lastSeen))")
            }
            print("\(rows.count) case\(rows.count == 1 ? "" : "s")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a case: the finding in context, its history, and its evidence (verified against the WARC record).")
        @Argument(help: "Case id.") var id: Int64
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let store = try database.open()
            guard let detail = try store.case(id) else { throw Failure(status: 2, message: "no case #\(id)") }
            let r = detail.row
            print("case #\(r.id)  \(r.status.rawValue)\(r.notSeen ? " (no longer seen on the page)" : "")\(r.reopenedCount > 0 ? " · reopened \(r.reopenedCount)×" : "")")
            print("agency:    \(r.agency) (\(r.registrationNo)) \(r.region)")
            print("page:      \(r.url)")
            print("rule:      \(r.rule) · \(r.category) · \(r.severity.rawValue)")
            print("basis:     \(r.basis)")
            print("words:     「\(r.text)」 (phrase \(r.phrase); \(r.location), bytes \(r.byteStart)–\(r.byteEnd))")
            if !r.normalizations.isEmpty { print("disguise:  \(r.normalizations.joined(separator: ", "))") }
            print("context:   …\(r.context)…")
            print("seen:      \(r.timesSeen)× · first \(CaseStore.timestamp(r.firstSeen)) · last \(CaseStore.timestamp(r.lastSeen))")
            if let file = r.warcFile, let offset = r.warcOffset {
                if store is CaseStore {
                    print("evidence:  \(store.evidenceDirectory.appendingPathComponent(file).path) @ \(offset)")
                } else {
                    print("evidence:  \(file) @ \(offset) (record kept in the database)")
                }
                print("           \(verifyEvidence(store: store, row: r, file: file, offset: offset))")
            } else {
                print("evidence:  none recorded")
            }
            print("history:")
            for e in detail.events {
                var line = "  \(CaseStore.timestamp(e.at)) \(e.kind.rawValue)"
                if let from = e.fromStatus, let to = e.toStatus { line += " \(from.rawValue) → \(to.rawValue)" } else if let to = e.toStatus { line += " → \(to.rawValue)" }
                if !e.by.isEmpty { line += " by \(e.by)" }
                if let note = e.note, !note.isEmpty { line += ": \(note)" }
                print(line)
            }
        }

        /// Re-reads the response — from the database when it keeps the record (PostgreSQL: any
        /// machine), else from the WARC file — and checks the finding's bytes.
        func verifyEvidence(store: any CaseQueue, row: CaseRow, file: String, offset: Int64) -> String {
            do {
                let record: WARCRecord
                if let shared = try store.sharedEvidence(warcFile: file, warcOffset: offset) {
                    guard WARCDigest.sha256(shared.gzipRecord) == shared.sha256 else {
                        return "MISMATCH: the record kept in the database does not match its digest \(shared.sha256)"
                    }
                    record = try WARCReader.record(member: shared.gzipRecord, offset: offset)
                } else {
                    record = try WARCReader.record(at: WARCLocation(file: file, offset: offset), in: store.evidenceDirectory)
                }
                guard let body = record.httpBody else { return "the record holds no HTTP body" }
                guard row.byteEnd <= body.count, row.byteStart <= row.byteEnd else { return "offsets lie outside the stored body" }
                let charsetJSON = (try? store.page(agency: row.agencyID, url: row.url))??.charsetJSON ?? "{}"
                let charset = (try? JSONDecoder().decode(CharsetDecision.self, from: Data(charsetJSON.utf8)))?.chosen ?? "UTF-8"
                let slice = Charset.decode(body[row.byteStart..<row.byteEnd], charset: charset)
                return slice == row.text
                    ? "verified: stored response bytes \(row.byteStart)–\(row.byteEnd) decode (\(charset)) to the reported words"
                    : "MISMATCH: stored bytes decode to 「\(slice)」"
            } catch {
                return "cannot read the evidence record: \(error)"
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a case's status: open → confirmed | dismissed (note required) → closed.")
        @Argument(help: "Case id.") var id: Int64
        @Option(name: .long, help: "open, confirmed, dismissed or closed.") var status: String
        @Option(name: .long, help: "Why (required when dismissing).") var note: String?
        @Option(name: .long, help: "Who (default: $USER).") var by: String?
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard let to = CaseStatus(rawValue: status) else { throw ValidationError("unknown status \(status) (open, confirmed, dismissed, closed)") }
            let store = try database.open()
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            do {
                let detail = try store.updateCase(id, to: to, note: note, by: who)
                print("case #\(id) is now \(detail.row.status.rawValue)")
            } catch let error as CaseRequestError {
                throw Failure(status: 2, message: error.description)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Export cases as CSV (UTF-8 with BOM) or JSON Lines.")
        @Option(name: .long, help: "csv or jsonl.") var format: String = "csv"
        @Option(name: .long, help: "Output file (default: standard output).") var out: String?
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filter: Filter

        func run() throws {
            guard format == "csv" || format == "jsonl" else { throw ValidationError("--format must be csv or jsonl") }
            let store = try database.open()
            let rows = try store.cases(filter: try filter.make())
            let text = format == "csv" ? CaseRow.csvDocument(rows, bom: true) : rows.map { $0.jsonLine() + "\n" }.joined()
            if let out {
                do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw Failure(status: 3, message: "cannot write \(out): \(error.localizedDescription)") }
                FileHandle.standardError.write(Data("\(rows.count) cases written to \(out)\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
