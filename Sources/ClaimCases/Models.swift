import Foundation

/// Row id of an agency.
public typealias AgencyID = Int64
/// Row id of a scan run.
public typealias RunID = Int64
/// Row id of a case.
public typealias CaseID = Int64

/// Severity of a case, lowest first. Same names as the rules' severities.
public enum CaseSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    /// 0 (low) … 3 (critical).
    public var rank: Int { CaseSeverity.allCases.firstIndex(of: self)! }
    public static func < (a: CaseSeverity, b: CaseSeverity) -> Bool { a.rank < b.rank }
}

/// Where a case stands in the supervisors' workflow.
///
/// ```
/// open ──► confirmed ──► closed ──► open (manual reopen, or automatic when seen again)
///   └────► dismissed (false positive; needs a note) ──► open (manual only)
/// ```
/// A dismissed case stays dismissed when the scanner sees the phrase again: it was
/// judged a false positive, and the same words on the same page are the same
/// false positive. A closed case (the violation was handled) that is seen again
/// is reopened automatically: the agency has put the promise back.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case open, confirmed, dismissed, closed

    /// The statuses a supervisor may move a case to from this one.
    public var allowedTransitions: [CaseStatus] {
        switch self {
        case .open: [.confirmed, .dismissed]
        case .confirmed: [.closed]
        case .dismissed: [.open]
        case .closed: [.open]
        }
    }
}

/// What an audit-log entry records.
public enum CaseEventKind: String, Sendable, Codable, CaseIterable {
    /// The scanner found the violation for the first time.
    case created
    /// A supervisor changed the status.
    case status
    /// A complete scan of the page no longer found it.
    case notSeen = "not-seen"
    /// Found again after having been not seen.
    case seenAgain = "seen-again"
    /// A closed case was found again and is open again.
    case reopened
}

/// Status of a scan run.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, complete, failed, interrupted
}

/// Status of one agency within a scan run (the unit of resumable work).
public enum RunAgencyStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, done, failed
}

/// State of a URL in a run's crawl frontier.
public enum FrontierState: String, Sendable, Codable, CaseIterable {
    case pending, done, failed
}

/// A registered certification agency.
public struct Agency: Sendable, Equatable, Identifiable {
    public var id: AgencyID
    /// The registration (备案) number, unique.
    public var registrationNo: String
    public var name: String
    public var region: String
    /// Start URLs of the agency's website(s).
    public var urls: [String]
    public var createdAt: Date
    public var updatedAt: Date

    /// Memberwise (for the stores).
    package init(id: AgencyID, registrationNo: String, name: String, region: String, urls: [String], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.registrationNo = registrationNo
        self.name = name
        self.region = region
        self.urls = urls
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What `importAgencies` did.
public struct ImportSummary: Sendable, Equatable, CustomStringConvertible {
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }
    public var description: String { "\(added) added, \(updated) updated, \(unchanged) unchanged" }
}

/// Which agencies a scan run covers.
public enum RunSelection: Sendable, Equatable, Codable {
    case all
    /// By registration number.
    case agencies([String])

    private enum CodingKeys: String, CodingKey { case all, registrationNos = "registration_nos" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let list = try c.decodeIfPresent([String].self, forKey: .registrationNos) {
            self = .agencies(list)
        } else {
            self = .all
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .all: try c.encode(true, forKey: .all)
        case .agencies(let list): try c.encode(list, forKey: .registrationNos)
        }
    }
}

/// A scan run.
public struct ScanRun: Sendable, Equatable, Identifiable {
    public var id: RunID
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    public var selection: RunSelection
    /// The options the run was started with, as JSON text.
    public var optionsJSON: String
    /// The summary given to `finishRun`, as JSON text.
    public var summaryJSON: String?
    /// The process that started the run.
    public var pid: Int32
    public var host: String

    /// Decodes `optionsJSON`.
    public func options<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(optionsJSON.utf8))
    }

    /// Memberwise (for the stores).
    package init(id: RunID, startedAt: Date, finishedAt: Date?, status: RunStatus, selection: RunSelection, optionsJSON: String, summaryJSON: String?, pid: Int32, host: String) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.selection = selection
        self.optionsJSON = optionsJSON
        self.summaryJSON = summaryJSON
        self.pid = pid
        self.host = host
    }
}

/// One agency's progress within a run.
public struct RunAgency: Sendable, Equatable {
    public var runID: RunID
    public var agencyID: AgencyID
    public var registrationNo: String
    public var status: RunAgencyStatus
    /// Pages recorded (fetched and stored, or not modified) in this run.
    public var pages: Int
    /// URLs that failed in this run.
    public var errors: Int
    /// Why the agency failed, if it did.
    public var error: String?
    public var startedAt: Date?
    public var finishedAt: Date?

    /// Memberwise (for the stores).
    package init(runID: RunID, agencyID: AgencyID, registrationNo: String, status: RunAgencyStatus, pages: Int, errors: Int, error: String?, startedAt: Date?, finishedAt: Date?) {
        self.runID = runID
        self.agencyID = agencyID
        self.registrationNo = registrationNo
        self.status = status
        self.pages = pages
        self.errors = errors
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A URL to crawl, with its link depth from a start URL.
public struct FrontierEntry: Sendable, Equatable, Hashable {
    public var url: String
    public var depth: Int
    public init(url: String, depth: Int) {
        self.url = url
        self.depth = depth
    }
}

/// A run's frontier for one agency, for resuming.
public struct FrontierSnapshot: Sendable, Equatable {
    /// URLs fetched and recorded (in the order they were discovered).
    public var done: [String]
    /// URLs that failed.
    public var failed: [String]
    /// URLs still to fetch, by depth then discovery order.
    public var pending: [FrontierEntry]

    /// Memberwise (for the stores).
    package init(done: [String], failed: [String], pending: [FrontierEntry]) {
        self.done = done
        self.failed = failed
        self.pending = pending
    }
}

/// A fetched page, as the scanner hands it over.
public struct PageRecord: Sendable, Equatable {
    /// The URL as crawled (normalized); identifies the page within its agency.
    public var url: String
    /// The URL after redirects.
    public var finalURL: String
    public var title: String?
    /// HTTP status.
    public var status: Int
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    /// SHA-256 of the raw response body, hex.
    public var sha256: String?
    /// The charset decision (which charset, and why), JSON text.
    public var charsetJSON: String?
    public var fetchedAt: Date
    /// The WARC file (relative to the evidence directory) and record offset holding the response.
    public var warcFile: String?
    public var warcOffset: Int64?
    /// In-scope outlinks of the page (kept so that a later 304 can still be crawled through).
    public var links: [String]?

    public init(
        url: String, finalURL: String? = nil, title: String? = nil, status: Int = 200,
        contentType: String? = nil, etag: String? = nil, lastModified: String? = nil,
        sha256: String? = nil, charsetJSON: String? = nil, fetchedAt: Date,
        warcFile: String? = nil, warcOffset: Int64? = nil, links: [String]? = nil
    ) {
        self.links = links
        self.url = url
        self.finalURL = finalURL ?? url
        self.title = title
        self.status = status
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.sha256 = sha256
        self.charsetJSON = charsetJSON
        self.fetchedAt = fetchedAt
        self.warcFile = warcFile
        self.warcOffset = warcOffset
    }
}

/// One finding on a page, as the matcher reported it.
public struct FindingRecord: Sendable, Equatable {
    public var rule: String
    public var category: String
    public var severity: CaseSeverity
    /// The canonical phrase (包过 for `bao 過`): part of the case identity.
    public var phrase: String
    /// The words exactly as on the page.
    public var text: String
    /// Visible text around the match.
    public var context: String
    /// Part of the page: body, title, meta, alt …
    public var location: String
    /// Raw byte range in the fetched body.
    public var byteStart: Int
    public var byteEnd: Int
    /// Normalizations needed to see the phrase (evidence of evasion).
    public var normalizations: [String]
    /// Legal basis, e.g. 广告法第二十四条第（一）项.
    public var basis: String
    public var description: String

    public init(
        rule: String, category: String, severity: CaseSeverity, phrase: String, text: String,
        context: String = "", location: String = "body", byteStart: Int = 0, byteEnd: Int = 0,
        normalizations: [String] = [], basis: String = "", description: String = ""
    ) {
        self.rule = rule
        self.category = category
        self.severity = severity
        self.phrase = phrase
        self.text = text
        self.context = context
        self.location = location
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.normalizations = normalizations
        self.basis = basis
        self.description = description
    }
}

/// What recording one page did to the queue (counts, for the scan summary).
public struct PageOutcome: Sendable, Equatable {
    /// Cases created.
    public var newCases = 0
    /// Existing cases seen again (including reopened ones).
    public var seenAgain = 0
    /// Closed cases reopened because they were seen again.
    public var reopened = 0
    /// Cases that a complete scan of the page no longer found (flipped to not-seen now).
    public var noLongerSeen = 0

    public init(newCases: Int = 0, seenAgain: Int = 0, reopened: Int = 0, noLongerSeen: Int = 0) {
        self.newCases = newCases
        self.seenAgain = seenAgain
        self.reopened = reopened
        self.noLongerSeen = noLongerSeen
    }

    public static func += (a: inout PageOutcome, b: PageOutcome) {
        a.newCases += b.newCases
        a.seenAgain += b.seenAgain
        a.reopened += b.reopened
        a.noLongerSeen += b.noLongerSeen
    }
}

/// A stored page.
public struct StoredPage: Sendable, Equatable {
    public var agencyID: AgencyID
    public var url: String
    public var finalURL: String?
    public var title: String?
    public var status: Int?
    public var contentType: String?
    public var etag: String?
    public var lastModified: String?
    public var sha256: String?
    public var charsetJSON: String?
    public var fetchedAt: Date
    public var lastRunID: RunID?
    public var warcFile: String?
    public var warcOffset: Int64?
    /// The last run in which the page was completely scanned (fetched and matched, or 304).
    public var lastCompleteScanRunID: RunID?

    /// Memberwise (for the stores).
    package init(agencyID: AgencyID, url: String, finalURL: String?, title: String?, status: Int?, contentType: String?, etag: String?, lastModified: String?, sha256: String?, charsetJSON: String?, fetchedAt: Date, lastRunID: RunID?, warcFile: String?, warcOffset: Int64?, lastCompleteScanRunID: RunID?) {
        self.agencyID = agencyID
        self.url = url
        self.finalURL = finalURL
        self.title = title
        self.status = status
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.sha256 = sha256
        self.charsetJSON = charsetJSON
        self.fetchedAt = fetchedAt
        self.lastRunID = lastRunID
        self.warcFile = warcFile
        self.warcOffset = warcOffset
        self.lastCompleteScanRunID = lastCompleteScanRunID
    }
}

/// Which cases to list. All conditions are ANDed; nil means "any".
public struct CaseFilter: Sendable, Equatable {
    /// Any of these statuses.
    public var statuses: Set<CaseStatus>?
    /// At least this severity (`.high` lists high and critical).
    public var minimumSeverity: CaseSeverity?
    /// Category id, e.g. `pass-guarantee`.
    public var category: String?
    /// Agency registration number.
    public var registrationNo: String?
    /// Agency region: exact, or a prefix (`湖南省` matches `湖南省长沙市`).
    public var region: String?
    /// Last seen at or after this time.
    public var since: Date?
    /// true: only cases no longer seen; false: only cases still seen.
    public var notSeen: Bool?
    /// At most this many rows.
    public var limit: Int?

    public init(
        statuses: Set<CaseStatus>? = nil, minimumSeverity: CaseSeverity? = nil, category: String? = nil,
        registrationNo: String? = nil, region: String? = nil, since: Date? = nil, notSeen: Bool? = nil,
        limit: Int? = nil
    ) {
        self.statuses = statuses
        self.minimumSeverity = minimumSeverity
        self.category = category
        self.registrationNo = registrationNo
        self.region = region
        self.since = since
        self.notSeen = notSeen
        self.limit = limit
    }

    /// Every case.
    public static let all = CaseFilter()
}

/// One case as listed in the queue, with its agency and page.
public struct CaseRow: Sendable, Equatable, Identifiable {
    public var id: CaseID
    public var agencyID: AgencyID
    /// Agency name.
    public var agency: String
    public var registrationNo: String
    public var region: String
    /// The page URL as crawled (part of the case identity).
    public var url: String
    /// The page URL after redirects, and its title, at the latest fetch.
    public var finalURL: String?
    public var title: String?
    public var rule: String
    public var category: String
    public var severity: CaseSeverity
    public var status: CaseStatus
    /// The words as on the page (latest sighting).
    public var text: String
    /// The canonical phrase.
    public var phrase: String
    public var context: String
    public var location: String
    public var byteStart: Int
    public var byteEnd: Int
    public var normalizations: [String]
    public var basis: String
    public var description: String
    public var firstSeen: Date
    public var lastSeen: Date
    /// Number of runs that saw it (once per run).
    public var timesSeen: Int
    public var firstRunID: RunID?
    public var lastRunID: RunID?
    /// A complete scan of the page no longer found it.
    public var notSeen: Bool
    public var reopenedCount: Int
    /// Evidence record of the latest sighting: WARC file and record offset.
    public var warcFile: String?
    public var warcOffset: Int64?

    /// Memberwise (for the stores).
    package init(id: CaseID, agencyID: AgencyID, agency: String, registrationNo: String, region: String, url: String, finalURL: String?, title: String?, rule: String, category: String, severity: CaseSeverity, status: CaseStatus, text: String, phrase: String, context: String, location: String, byteStart: Int, byteEnd: Int, normalizations: [String], basis: String, description: String, firstSeen: Date, lastSeen: Date, timesSeen: Int, firstRunID: RunID?, lastRunID: RunID?, notSeen: Bool, reopenedCount: Int, warcFile: String?, warcOffset: Int64?) {
        self.id = id
        self.agencyID = agencyID
        self.agency = agency
        self.registrationNo = registrationNo
        self.region = region
        self.url = url
        self.finalURL = finalURL
        self.title = title
        self.rule = rule
        self.category = category
        self.severity = severity
        self.status = status
        self.text = text
        self.phrase = phrase
        self.context = context
        self.location = location
        self.byteStart = byteStart
        self.byteEnd = byteEnd
        self.normalizations = normalizations
        self.basis = basis
        self.description = description
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.timesSeen = timesSeen
        self.firstRunID = firstRunID
        self.lastRunID = lastRunID
        self.notSeen = notSeen
        self.reopenedCount = reopenedCount
        self.warcFile = warcFile
        self.warcOffset = warcOffset
    }
}

/// An audit-log entry.
public struct CaseEvent: Sendable, Equatable {
    public var id: Int64
    public var caseID: CaseID
    public var at: Date
    /// Who: a supervisor's name, or `scan run N`.
    public var by: String
    public var kind: CaseEventKind
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus?
    public var note: String?
    /// The scan run, for events the scanner caused.
    public var runID: RunID?

    /// Memberwise (for the stores).
    package init(id: Int64, caseID: CaseID, at: Date, by: String, kind: CaseEventKind, fromStatus: CaseStatus?, toStatus: CaseStatus?, note: String?, runID: RunID?) {
        self.id = id
        self.caseID = caseID
        self.at = at
        self.by = by
        self.kind = kind
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.note = note
        self.runID = runID
    }
}

/// A case with its audit log (oldest first).
public struct CaseDetail: Sendable, Equatable {
    public var row: CaseRow
    public var events: [CaseEvent]

    /// Memberwise (for the stores).
    package init(row: CaseRow, events: [CaseEvent]) {
        self.row = row
        self.events = events
    }
}

/// What a rescan can reuse from a page's last complete scan.
public struct RescanHint: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
    public var links: [String]

    /// Memberwise (for the stores).
    package init(etag: String?, lastModified: String?, links: [String]) {
        self.etag = etag
        self.lastModified = lastModified
        self.links = links
    }
}
