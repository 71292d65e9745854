import GRDB

/// The case-queue schema. Migrations are named `v1`, `v2`, …; a database that has
/// migrations this build does not know is refused (`CaseStoreError.Kind.newerSchema`).
///
/// All timestamps are ISO 8601 UTC text with milliseconds (`2024-05-01T08:30:00.000Z`).
/// JSON columns hold UTF-8 JSON text.
///
/// ```
/// agencies      id, registration_no UNIQUE, name, region, urls (JSON array of start URLs),
///               created_at, updated_at
/// scan_runs     id, started_at, finished_at, status (running|complete|failed|interrupted),
///               selection JSON ({"all":true} | {"registration_nos":[…]}), options JSON,
///               summary JSON, pid, host
/// run_agencies  (run_id, agency_id) PK, status (pending|running|done|failed), pages, errors,
///               error (why it failed), started_at, finished_at   — the unit of resumable work
/// frontier      run_id, agency_id, url, depth, state (pending|done|failed), discovered_at,
///               fetched_at; UNIQUE(run_id, agency_id, url)     — resume without refetching
/// pages         id, agency_id, url, final_url, title, status, content_type, etag,
///               last_modified, sha256, charset JSON, fetched_at, last_run_id, warc_file,
///               warc_offset, last_complete_scan_run_id, links JSON (v2); UNIQUE(agency_id, url)
/// cases         id, agency_id, page_url, rule, category, severity (low|medium|high|critical),
///               phrase, text, context, location, byte_start, byte_end, normalizations JSON,
///               basis, description, first_seen, last_seen, times_seen, first_run_id,
///               last_run_id, status (open|confirmed|dismissed|closed), not_seen, reopened_count,
///               warc_file, warc_offset; UNIQUE(agency_id, page_url, rule, phrase)
/// case_events   id, case_id, at, by, kind (created|status|not-seen|seen-again|reopened),
///               from_status, to_status, note, run_id                — the audit log
/// scan_lock     id = 1 (at most one row), token, pid, host, started_at, heartbeat_at, run_id
/// ```
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        // v2: a page's outlinks (JSON array), so a rescan answered 304 can still follow them.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE pages ADD COLUMN links TEXT")
        }
        return migrator
    }

    static let v1 = """
    CREATE TABLE agencies (
        id INTEGER PRIMARY KEY,
        registration_no TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        urls TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE scan_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'complete', 'failed', 'interrupted')),
        selection TEXT NOT NULL DEFAULT '{"all":true}',
        options TEXT NOT NULL DEFAULT '{}',
        summary TEXT,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL
    );
    CREATE INDEX scan_runs_status ON scan_runs(status, id);

    CREATE TABLE run_agencies (
        run_id INTEGER NOT NULL REFERENCES scan_runs(id) ON DELETE CASCADE,
        agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'running', 'done', 'failed')),
        pages INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        started_at TEXT,
        finished_at TEXT,
        PRIMARY KEY (run_id, agency_id)
    );

    CREATE TABLE frontier (
        run_id INTEGER NOT NULL REFERENCES scan_runs(id) ON DELETE CASCADE,
        agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        discovered_at TEXT NOT NULL,
        fetched_at TEXT,
        UNIQUE (run_id, agency_id, url)
    );

    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        final_url TEXT,
        title TEXT,
        status INTEGER,
        content_type TEXT,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT,
        charset TEXT,
        fetched_at TEXT NOT NULL,
        last_run_id INTEGER REFERENCES scan_runs(id) ON DELETE SET NULL,
        warc_file TEXT,
        warc_offset INTEGER,
        last_complete_scan_run_id INTEGER REFERENCES scan_runs(id) ON DELETE SET NULL,
        UNIQUE (agency_id, url)
    );

    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
        page_url TEXT NOT NULL,
        rule TEXT NOT NULL,
        category TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        phrase TEXT NOT NULL,
        text TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT 'body',
        byte_start INTEGER NOT NULL DEFAULT 0,
        byte_end INTEGER NOT NULL DEFAULT 0,
        normalizations TEXT NOT NULL DEFAULT '[]',
        basis TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        times_seen INTEGER NOT NULL DEFAULT 1,
        first_run_id INTEGER REFERENCES scan_runs(id) ON DELETE SET NULL,
        last_run_id INTEGER REFERENCES scan_runs(id) ON DELETE SET NULL,
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'confirmed', 'dismissed', 'closed')),
        not_seen BOOLEAN NOT NULL DEFAULT 0,
        reopened_count INTEGER NOT NULL DEFAULT 0,
        warc_file TEXT,
        warc_offset INTEGER,
        UNIQUE (agency_id, page_url, rule, phrase)
    );
    CREATE INDEX cases_queue ON cases(status, severity, last_seen);
    CREATE INDEX cases_last_seen ON cases(last_seen);

    CREATE TABLE case_events (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        kind TEXT NOT NULL
            CHECK (kind IN ('created', 'status', 'not-seen', 'seen-again', 'reopened')),
        from_status TEXT,
        to_status TEXT,
        note TEXT,
        run_id INTEGER REFERENCES scan_runs(id) ON DELETE SET NULL
    );
    CREATE INDEX case_events_case ON case_events(case_id, id);

    CREATE TABLE scan_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        run_id INTEGER
    );
    """
}
