#if Postgres
import ClaimCases
import ClaimCasesPostgres
import Foundation
import Testing
import TestSupport

/// Several `claimscan scan` processes on one PostgreSQL database, crawling loopback sites:
/// the work is shared, every page fetched once, no case twice; a killed worker's agencies
/// are finished by the others after its lease runs out; a database restart is survived.
/// Serialized: one of them restarts the server.
@Suite(.serialized) struct WorkerTests {
    static let pagesPerSite = 6

    /// `count` loopback sites, their agency CSV, and a fresh database with them imported.
    func setUp(sites count: Int, pages: Int = pagesPerSite) async throws -> (TestDatabase, [LoopbackServer]) {
        let db = try TestDatabase()
        var servers: [LoopbackServer] = []
        var csv = "name,registration_no,region,urls\n"
        for i in 0..<count {
            let server = try await LoopbackServer.start(fanSite(pages, tag: "机构\(i)"))
            servers.append(server)
            csv += "测试机构\(i),W-\(String(format: "%03d", i)),测试省,\(server.url("/"))\n"
        }
        let file = try temporaryDirectory().appendingPathComponent("agencies.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let imported = try await ClaimscanBinary.run(["agencies", "import", file.path, "--db", db.url])
        #expect(imported.status == 0, "\(imported.stderr)")
        return (db, servers)
    }

    func scanArguments(_ db: TestDatabase, delay: Double, concurrency: Int, lease: Double = 10) throws -> [String] {
        let evidence = try temporaryDirectory("claimscan-worker-evidence").path
        return ["scan", "--db", db.url, "--evidence", evidence, "--allow-private-network", "--delay", String(delay),
                "--concurrency", String(concurrency), "--lease", String(lease), "--quiet", "--json"]
    }

    func stop(_ servers: [LoopbackServer]) async {
        for s in servers { await s.stop() }
    }

    @Test("2 and 3 workers share a scan: every page fetched exactly once, no duplicate case, one summary like a single machine's",
          arguments: [2, 3])
    func workersShareAScan(workers: Int) async throws {
        let sites = 6
        let (db, servers) = try await setUp(sites: sites)
        // 0.2 s between requests: one worker alone would take ~11 s for the six sites, so a second
        // that a busy machine starts a few seconds late still gets units of its own.
        let args = try scanArguments(db, delay: 0.2, concurrency: 1)
        let started = try (0..<workers).map { _ in try Worker(args) }
        var outputs: [ClaimscanBinary.Output] = []
        for w in started { outputs.append(await w.finish()) }
        for o in outputs { #expect(o.status == 0, "\(o.stdout)\(o.stderr)") }

        // Every page, robots.txt and sitemap once: no host was crawled by two workers.
        for server in servers {
            let counts = requestCounts(server)
            #expect(counts.filter { $0.key.hasSuffix(".html") }.count == Self.pagesPerSite)
            #expect(counts.allSatisfy { $0.value == 1 }, "\(counts)")
        }
        let store = try db.open()
        let cases = try store.cases()
        #expect(cases.count == sites * Self.pagesPerSite)
        #expect(Set(cases.map { "\($0.agencyID) \($0.url) \($0.rule) \($0.phrase)" }).count == cases.count)
        #expect(cases.allSatisfy { $0.timesSeen == 1 })
        let runs = try store.runs()
        #expect(runs.count == 1 && runs.first?.status == .complete)
        // The work was shared: units were finished by more than one worker.
        let units = try store.unitStates(run: runs[0].id)
        #expect(units.count == sites && units.allSatisfy { $0.status == "done" && $0.claims == 1 })
        #expect(Set(units.compactMap(\.finishedBy)).count >= 2, "\(units.map { $0.finishedBy ?? "-" })")

        // An inspector on another machine (no WARC files there) verifies a case's evidence
        // from the record kept in the database.
        let elsewhere = try temporaryDirectory("claimscan-inspector").path
        let shown = try await ClaimscanBinary.run(["cases", "show", String(cases[0].id), "--db", db.url, "--evidence", elsewhere])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("(record kept in the database)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("verified: stored response bytes"), "\(shown.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)

        // Every worker prints the run's summary, and it is what one machine on SQLite reports.
        let summaries = try outputs.map(summary)
        for s in summaries { #expect(essentials(s) == essentials(summaries[0])) }
        let single = try temporaryDirectory().appendingPathComponent("single.db").path
        let csv = try temporaryDirectory().appendingPathComponent("agencies.csv")
        try ("name,registration_no,region,urls\n" + servers.enumerated().map {
            "测试机构\($0.offset),W-\(String(format: "%03d", $0.offset)),测试省,\($0.element.url("/"))\n"
        }.joined()).write(to: csv, atomically: true, encoding: .utf8)
        let copy = try await ClaimscanBinary.run(["agencies", "import", csv.path, "--db", single])
        #expect(copy.status == 0, "\(copy.stderr)")
        let alone = try await ClaimscanBinary.run(["scan", "--db", single, "--allow-private-network", "--delay", "0", "--quiet", "--json"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(essentials(try summary(alone)) == essentials(summaries[0]))
        #expect(essentials(summaries[0])["pages"] == sites * Self.pagesPerSite + sites)
        await stop(servers)
    }

    @Test("a worker killed with SIGKILL: after its lease runs out the other finishes its agencies, no case lost or doubled")
    func killedWorkersAgenciesAreTakenOver() async throws {
        let sites = 4, pages = 10
        let (db, servers) = try await setUp(sites: sites, pages: pages)
        // The first worker claims every site (concurrency 4) and crawls slowly: 0.4 s between
        // requests, ~5 s a site, so no site is finished when it is killed after 8 pages, even if
        // a busy machine is slow to notice them.
        let first = try Worker(try scanArguments(db, delay: 0.4, concurrency: 4, lease: 2))
        let progressed = await waitUntil {
            !first.process.isRunning || servers.reduce(0) { $0 + $1.requests.filter { $0.path.hasSuffix(".html") }.count } >= 8
        }
        #expect(progressed && first.process.isRunning, "the first worker ended before its 8th page")
        kill(first.process.processIdentifier, SIGKILL)
        let killed = await first.finish()
        #expect(killed.status == SIGKILL && first.process.terminationReason == .uncaughtSignal)

        // The second joins the run, finds every unit leased, waits for the leases to expire, takes over.
        let joined = Date()
        let second = await (try Worker(try scanArguments(db, delay: 0, concurrency: 2, lease: 2))).finish()
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("joined scan run"))
        #expect(Date().timeIntervalSince(joined) > 0.5)

        let store = try db.open()
        let run = try #require(try store.runs().first)
        #expect(run.status == .complete)
        let units = try store.unitStates(run: run.id)
        #expect(units.allSatisfy { $0.status == "done" && $0.claims >= 2 }, "\(units)")
        // Every page fetched; only a page in flight at the kill (one per site) may have been fetched twice.
        for server in servers {
            let counts = requestCounts(server).filter { $0.key.hasSuffix(".html") || $0.key == "/" }
            #expect(counts.count == pages + 1)
            #expect(counts.values.filter { $0 > 1 }.count <= 1 && counts.values.allSatisfy { $0 <= 2 }, "\(counts)")
        }
        let cases = try store.cases()
        #expect(cases.count == sites * pages)
        #expect(Set(cases.map { "\($0.agencyID) \($0.url)" }).count == cases.count)
        #expect(cases.allSatisfy { $0.timesSeen == 1 && $0.lastRunID == run.id })
        let s = try summary(second)
        #expect(s["status"] as? String == "complete" && s["sites"] as? Int == sites)
        await stop(servers)
    }

    @Test("the command line on PostgreSQL: import, scan, list, update, show, export, as on SQLite")
    func commandLineOnPostgres() async throws {
        let (db, servers) = try await setUp(sites: 1, pages: 2)
        let scan = try await ClaimscanBinary.run(try scanArguments(db, delay: 0, concurrency: 2))
        #expect(scan.status == 0, "\(scan.stderr)")
        let listed = try await ClaimscanBinary.run(["cases", "list", "--db", db.url, "--json"])
        #expect(listed.status == 0)
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let id = try #require(first["id"] as? Int)
        let refused = try await ClaimscanBinary.run(["cases", "update", String(id), "--status", "dismissed", "--by", "王五", "--db", db.url])
        #expect(refused.status == 2 && refused.stderr.contains("needs a note"), "\(refused.stderr)")
        let updated = try await ClaimscanBinary.run(["cases", "update", String(id), "--status", "confirmed", "--by", "王五", "--note", "已截图", "--db", db.url])
        #expect(updated.status == 0 && updated.stdout.contains("is now confirmed"), "\(updated.stderr)")
        let shown = try await ClaimscanBinary.run(["cases", "show", String(id), "--db", db.url])
        #expect(shown.stdout.contains("status open → confirmed by 王五: 已截图"), "\(shown.stdout)")
        let confirmed = try await ClaimscanBinary.run(["cases", "list", "--status", "confirmed", "--db", db.url])
        #expect(confirmed.stdout.contains("1 case"))
        let csv = try await ClaimscanBinary.run(["cases", "export", "--format", "csv", "--db", db.url])
        #expect(csv.status == 0 && csv.stdout.hasPrefix("\u{FEFF}id,agency,"))
        #expect(csv.stdout.split(separator: "\r\n").count == 3)
        let agencies = try await ClaimscanBinary.run(["agencies", "list", "--db", db.url])
        #expect(agencies.stdout.contains("W-000") && agencies.stdout.contains("1 agency"))
        await stop(servers)
    }

    @Test("a bad URL, an unreachable server, an unknown user, a missing database: one line each, exit status 3")
    func connectionProblems() async throws {
        let server = try serverURL()
        let port = try #require(URLComponents(string: server)?.port)
        let cases: [(url: String, says: String)] = [
            ("postgres://127.0.0.1/claimscan", "no user name"),
            ("postgres://postgres@127.0.0.1:\(port)/claimscan?sslmode=sometimes", "sslmode must be"),
            ("postgres://postgres@127.0.0.1:1/claimscan", "cannot reach the PostgreSQL server"),
            ("postgres://nobody_here@127.0.0.1:\(port)/postgres", "refused the login"),
            ("postgres://postgres@127.0.0.1:\(port)/no_such_database_here", "does not exist"),
        ]
        for (url, says) in cases {
            let out = try await ClaimscanBinary.run(["cases", "list", "--db", url])
            #expect(out.status == 3)
            #expect(out.stderr.contains(says), "\(url): \(out.stderr)")
            #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
    }

    @Test("four processes migrating a new database at once: all succeed, each migration applied once")
    func concurrentMigrations() async throws {
        let db = try TestDatabase()
        let workers = try (0..<4).map { _ in try Worker(["agencies", "list", "--db", db.url]) }
        for w in workers {
            let o = await w.finish()
            #expect(o.status == 0, "\(o.stderr)")
            #expect(o.stdout.contains("0 agencies"))
        }
        #expect(try db.open().appliedMigrations() == ["v1"])
    }

    @Test("the database restarted during a scan: the workers reconnect and finish, nothing lost")
    func databaseRestartDuringScan() async throws {
        guard let pgdir = ProcessInfo.processInfo.environment["CLAIMSCAN_TEST_PGDIR"], !pgdir.isEmpty else {
            throw WorkerTestError("CLAIMSCAN_TEST_PGDIR is not set: run ./scripts/test.sh, which starts the server this test restarts")
        }
        let sites = 4, pages = 10
        let (db, servers) = try await setUp(sites: sites, pages: pages)
        // 0.5 s between a site's pages: each site takes ~6 s, and every page is written to the
        // database, so the 1.5 s outage below falls inside the scan and meets its writes, even
        // when a busy machine takes seconds to stop and start the server. (With no outage a
        // worker whose connection closed between writes reconnects without a word.)
        let args = try scanArguments(db, delay: 0.5, concurrency: 2, lease: 30)
        let workers = try (0..<2).map { _ in try Worker(args) }
        func fetched() -> Int { servers.reduce(0) { $0 + $1.requests.filter { $0.path.hasSuffix(".html") }.count } }
        let progressed = await waitUntil { workers.contains { !$0.process.isRunning } || fetched() >= 6 }
        #expect(progressed && workers.allSatisfy { $0.process.isRunning }, "a worker ended before the restart")
        let restarted = await spawnAndWait([repositoryRoot.appendingPathComponent("scripts/pg-cluster.sh").path, "restart", pgdir, "1.5"])
        #expect(restarted == 0)
        #expect(fetched() < sites * pages, "the scan ended before the database came back: the test proves nothing")
        var outputs: [ClaimscanBinary.Output] = []
        for w in workers { outputs.append(await w.finish()) }
        for o in outputs { #expect(o.status == 0, "\(o.stdout)\(o.stderr)") }
        // They noticed: the connection was lost mid-scan, and they retried.
        #expect(outputs.contains { $0.stderr.contains("retrying for up to") }, "\(outputs.map(\.stderr))")

        let store = try db.open()
        let run = try #require(try store.runs().first)
        #expect(run.status == .complete)
        for server in servers {
            let counts = requestCounts(server).filter { $0.key.hasSuffix(".html") || $0.key == "/" }
            #expect(counts.count == pages + 1, "\(counts)")
            #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts)")
        }
        let cases = try store.cases()
        #expect(cases.count == sites * pages)
        #expect(Set(cases.map { "\($0.agencyID) \($0.url)" }).count == cases.count)
        #expect(cases.allSatisfy { $0.timesSeen == 1 })
        await stop(servers)
    }
}
#endif
