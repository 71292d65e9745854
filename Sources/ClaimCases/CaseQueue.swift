import Foundation

/// The case queue as the scanner and the command line use it, whatever stores it.
///
/// Two implementations: ``CaseStore`` (one SQLite file, one machine) and
/// `PostgresStore` in the `ClaimCasesPostgres` module (one PostgreSQL database shared by
/// many machines). Both give the same results for the same calls; the shared test suite
/// runs one body against each. Every operation is one transaction.
public protocol CaseQueue: AnyObject, Sendable {
    /// Where the queue lives, for messages: the SQLite path, or the PostgreSQL URL without its password.
    var location: String { get }
    /// Local folder for this process's evidence (WARC) files.
    var evidenceDirectory: URL { get }
    /// Creates the evidence directory if needed and returns it.
    @discardableResult func ensureEvidenceDirectory() throws -> URL
    /// Closes the connections. Further use throws.
    func close() throws

    // MARK: Agencies
    @discardableResult func importAgencies(csvText: String, fileName: String) throws -> ImportSummary
    @discardableResult func upsertAgency(registrationNo: String, name: String, region: String, urls: [String]) throws -> AgencyID
    func agencies() throws -> [Agency]
    func agency(registrationNo: String) throws -> Agency?
    func agency(id: AgencyID) throws -> Agency?

    // MARK: Runs, run agencies, frontier
    func startRun(selection: RunSelection, optionsJSON: String) throws -> RunID
    func unfinishedRun() throws -> ScanRun?
    func run(_ id: RunID) throws -> ScanRun?
    func runs(limit: Int) throws -> [ScanRun]
    func resumeRun(_ id: RunID) throws
    func finishRun(_ id: RunID, status: RunStatus, summaryJSON: String?) throws
    func runAgencies(_ run: RunID) throws -> [RunAgency]
    func markAgencyStarted(run: RunID, agency: AgencyID) throws
    func markAgencyDone(run: RunID, agency: AgencyID) throws
    func markAgencyFailed(run: RunID, agency: AgencyID, error: String) throws
    @discardableResult func addToFrontier(run: RunID, agency: AgencyID, _ entries: [FrontierEntry]) throws -> Int
    func markFetched(run: RunID, agency: AgencyID, url: String, state: FrontierState, at date: Date?) throws
    func frontier(run: RunID, agency: AgencyID) throws -> FrontierSnapshot

    // MARK: Recording
    @discardableResult
    func recordPage(run: RunID, agency: AgencyID, page: PageRecord, findings: [FindingRecord], complete: Bool) throws -> PageOutcome
    @discardableResult
    func recordNotModified(run: RunID, agency: AgencyID, url: String, fetchedAt date: Date) throws -> PageOutcome
    func conditionalHeaders(agency: AgencyID, url: String) throws -> (etag: String?, lastModified: String?)
    func rescanHints(agency: AgencyID) throws -> [String: RescanHint]
    func page(agency: AgencyID, url: String) throws -> StoredPage?

    // MARK: Evidence shared between machines
    /// Keeps the gzip'd WARC response record of a page with findings where every machine
    /// can read it (the SQLite store keeps none: its WARC files are beside the database).
    func storeEvidence(agency: AgencyID, url: String, record: SharedEvidence) throws
    /// The shared evidence record stored for this WARC location, if any.
    func sharedEvidence(warcFile: String, warcOffset: Int64) throws -> SharedEvidence?

    // MARK: The queue
    func cases(filter: CaseFilter) throws -> [CaseRow]
    func `case`(_ id: CaseID) throws -> CaseDetail?
    @discardableResult func updateCase(_ id: CaseID, to status: CaseStatus, note: String?, by: String) throws -> CaseDetail
    func caseCounts() throws -> [CaseStatus: Int]
}

/// A page's evidence as stored in a shared database: one gzip member holding the WARC
/// response record, as in the WARC file, with the SHA-256 (hex) of those gzip'd bytes.
public struct SharedEvidence: Sendable, Equatable {
    public var warcFile: String
    public var warcOffset: Int64
    public var gzipRecord: Data
    public var sha256: String
    public init(warcFile: String, warcOffset: Int64, gzipRecord: Data, sha256: String) {
        self.warcFile = warcFile
        self.warcOffset = warcOffset
        self.gzipRecord = gzipRecord
        self.sha256 = sha256
    }
}

extension CaseQueue {
    /// `startRun` with options encoded as JSON.
    public func startRun<Options: Encodable>(selection: RunSelection, options: Options) throws -> RunID {
        try startRun(selection: selection, optionsJSON: jsonText(options))
    }

    /// `finishRun` with the summary encoded as JSON.
    public func finishRun<Summary: Encodable>(_ id: RunID, status: RunStatus, summary: Summary) throws {
        try finishRun(id, status: status, summaryJSON: jsonText(summary))
    }

    /// A run with no options recorded.
    public func startRun(selection: RunSelection) throws -> RunID {
        try startRun(selection: selection, optionsJSON: "{}")
    }

    /// Ends a run without a summary.
    public func finishRun(_ id: RunID, status: RunStatus) throws {
        try finishRun(id, status: status, summaryJSON: nil)
    }

    /// The latest 20 runs, newest first.
    public func runs() throws -> [ScanRun] { try runs(limit: 20) }

    /// Every case, most severe first.
    public func cases() throws -> [CaseRow] { try cases(filter: .all) }

    /// Moves a case on without a note.
    @discardableResult
    public func updateCase(_ id: CaseID, to status: CaseStatus, by: String) throws -> CaseDetail {
        try updateCase(id, to: status, note: nil, by: by)
    }

    /// Marks a frontier URL fetched now.
    public func markFetched(run: RunID, agency: AgencyID, url: String, state: FrontierState) throws {
        try markFetched(run: run, agency: agency, url: url, state: state, at: nil)
    }

    /// The agencies of a run still to do (`pending`, or `running` when the run was cut off).
    public func unfinishedAgencies(_ run: RunID) throws -> [RunAgency] {
        try runAgencies(run).filter { $0.status == .pending || $0.status == .running }
    }
}

/// One unit of a cooperative scan: the agencies that share a host, claimed together so
/// that no host is crawled by two workers at once.
public struct WorkUnit: Sendable, Equatable {
    public var runID: RunID
    public var number: Int
    public var hosts: [String]
    public var agencies: [AgencyID]
    public init(runID: RunID, number: Int, hosts: [String], agencies: [AgencyID]) {
        self.runID = runID
        self.number = number
        self.hosts = hosts
        self.agencies = agencies
    }
}

/// Where a cooperative run stands.
public struct RunProgress: Sendable, Equatable {
    public var units: Int
    public var done: Int
    /// Units a worker holds a live lease on.
    public var leased: Int
    /// Units nobody holds (never claimed, or whose lease expired).
    public var claimable: Int
    public init(units: Int, done: Int, leased: Int, claimable: Int) {
        self.units = units
        self.done = done
        self.leased = leased
        self.claimable = claimable
    }
}

/// A case queue that several scan workers (processes, machines) share: a run's agencies
/// are units of work, claimed under a lease that the worker renews while it works.
/// A unit whose lease expired (its worker died) is claimed again by another worker.
public protocol CooperativeCaseQueue: CaseQueue {
    /// The unfinished run to join, or a new one over `selection` if there is none; both
    /// decided under one lock, so workers started together join one run.
    func joinOrStartRun(selection: RunSelection, optionsJSON: String) throws -> (run: ScanRun, created: Bool)
    /// Claims up to `limit` units nobody holds, for `lease` seconds (server clock).
    func claimUnits(run: RunID, worker: String, limit: Int, lease: TimeInterval) throws -> [WorkUnit]
    /// Extends the leases this worker still holds; returns the units it still holds.
    @discardableResult
    func renewLeases(run: RunID, worker: String, units: [Int], lease: TimeInterval) throws -> [Int]
    /// Marks a unit done with its part of the run summary (JSON). False if it was already
    /// done (another worker finished it after this one's lease expired).
    @discardableResult
    func finishUnit(run: RunID, unit: Int, worker: String, summaryJSON: String) throws -> Bool
    func progress(run: RunID) throws -> RunProgress
    /// If every unit is done and the run is still running: completes it with the summary
    /// `summarize` makes from the units' summaries (JSON), and returns true. Exactly one
    /// caller gets true.
    func completeRunIfDone(run: RunID, summarize: ([String]) throws -> String) throws -> Bool
    /// Seconds this process spent waiting on the database (all calls), for instrumentation.
    var databaseSeconds: Double { get }
}

/// The politeness key of a URL: `host:port` (the port the scheme implies if none is
/// given), lower-cased; nil without a host. The crawler keeps its delay per origin, so
/// this is the "host" that one worker at a time may crawl.
public func hostOf(_ url: String) -> String? {
    guard let c = URLComponents(string: url), let host = c.host?.lowercased(), !host.isEmpty else { return nil }
    let port = c.port ?? (c.scheme?.lowercased() == "https" ? 443 : 80)
    return "\(host):\(port)"
}

/// Groups agencies into work units: agencies that share a host (directly or through a
/// chain of agencies) are one unit, so a host is only ever crawled by one worker.
/// Units are ordered by their first agency's position in `agencies`.
public func workUnits(_ agencies: [(id: AgencyID, urls: [String])]) -> [(hosts: [String], agencies: [AgencyID])] {
    var parent = Array(agencies.indices)
    func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
        return i
    }
    var hostOwner: [String: Int] = [:]
    for (i, agency) in agencies.enumerated() {
        for host in agency.urls.compactMap(hostOf) {
            if let other = hostOwner[host] {
                let a = find(i), b = find(other)
                if a != b { parent[max(a, b)] = min(a, b) }
            } else {
                hostOwner[host] = i
            }
        }
    }
    var order: [Int] = []
    var groups: [Int: (hosts: [String], agencies: [AgencyID])] = [:]
    for (i, agency) in agencies.enumerated() {
        let root = find(i)
        if groups[root] == nil { order.append(root); groups[root] = ([], []) }
        groups[root]!.agencies.append(agency.id)
        for host in agency.urls.compactMap(hostOf) where !groups[root]!.hosts.contains(host) {
            groups[root]!.hosts.append(host)
        }
    }
    return order.map { groups[$0]! }
}
