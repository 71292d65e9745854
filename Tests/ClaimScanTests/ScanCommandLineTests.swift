import ClaimCases
import Foundation
import Testing
import TestSupport

func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
    try ClaimscanBinary.launch(arguments)
}

func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> ClaimscanBinary.Output {
    try await ClaimscanBinary.run(arguments, environment: environment)
}

/// A site of `count` pages in a chain (each links to the next), each with its own promise.
func chainSite(_ count: Int) -> [String: LoopbackRoute] {
    var routes: [String: LoopbackRoute] = [:]
    for i in 0..<count {
        let next = i + 1 < count ? "<a href=\"/p\(i + 1).html\">下一页</a>" : ""
        routes[i == 0 ? "/" : "/p\(i).html"] = .html(page("<p>第\(i)页：包过班\(i)期火热招生。</p>\(next)"))
    }
    return routes
}

@Suite(.serialized) struct ScanCommandLineTests {
    @Test func killedScanResumesWithoutRefetchingOrDuplicating() async throws {
        let pages = 24
        let server = try await LoopbackServer.start(chainSite(pages))
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("q.db").path
        let csv = dir.appendingPathComponent("a.csv").path
        try "name,registration_no,region,urls\n链式机构,K1,测试,\(server.url("/"))\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try await run(["agencies", "import", csv, "--db", db]).status == 0)

        // A slow scan (0.5 s between requests), killed with SIGKILL part-way: after the 8th page
        // 16 remain, 8 s, so the kill lands mid-scan even when a busy machine is slow to see it.
        let (first, _, _) = try launch(["scan", "--db", db, "--allow-private-network", "--delay", "0.5", "--max-depth", "50", "--quiet"])
        // (Stops waiting if the scan has ended: a scan that died early fails here at once.)
        let served = await waitUntil { !first.isRunning || server.requests.filter { $0.path.hasSuffix(".html") }.count >= 8 }
        #expect(served && first.isRunning, "the scan ended before its 8th page was served")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)

        let before = try CaseStore(path: db).cases().count
        #expect(before > 0 && before < pages)

        let second = try await run(["scan", "--db", db, "--allow-private-network", "--delay", "0", "--max-depth", "50"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("(resumed)"))

        // Every page fetched once (the one in flight at the kill may be fetched twice), never more.
        var counts: [String: Int] = [:]
        for r in server.requests where r.path != "/robots.txt" && r.path != "/sitemap.xml" { counts[r.path, default: 0] += 1 }
        #expect(counts.count == pages)
        #expect(counts.values.filter { $0 > 1 }.count <= 1)
        #expect(counts.values.allSatisfy { $0 <= 2 })
        // One case per page, none duplicated or lost, each seen once in the (single, resumed) run.
        let cases = try CaseStore(path: db).cases()
        #expect(cases.count == pages)
        #expect(Set(cases.map(\.url)).count == pages)
        #expect(cases.allSatisfy { $0.timesSeen == 1 })
        #expect(try CaseStore(path: db).runs().count == 1)
    }

    @Test func aSecondScanOnTheSameDatabaseIsRefused() async throws {
        let server = try await LoopbackServer.start(chainSite(6))
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("q.db").path
        let store = try CaseStore(path: db)
        _ = try store.upsertAgency(registrationNo: "S1", name: "s", region: "", urls: [server.url("/")])
        // 3 s between requests (~20 s in all): the first is surely still running when the second,
        // started on a busy machine, looks at the lock. SIGTERM ends it at once, so the test does not wait.
        let (first, _, _) = try launch(["scan", "--db", db, "--allow-private-network", "--delay", "3", "--quiet"])
        #expect(await waitUntil { !first.isRunning || !server.requests.isEmpty })
        #expect(first.isRunning, "the first scan ended before the second started")
        let second = try await run(["scan", "--db", db, "--allow-private-network", "--delay", "0"])
        #expect(second.status == 3)
        #expect(second.stderr.contains("another scan (pid \(first.processIdentifier)"), "\(second.stderr)")
        first.terminate()                         // SIGTERM: stops cleanly, resumable
        first.waitUntilExit()
        #expect(first.terminationStatus == 3)
        let resumed = try await run(["scan", "--db", db, "--allow-private-network", "--delay", "0", "--max-depth", "10"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(try CaseStore(path: db).cases().count == 6)
    }

    @Test func agencyImportErrorsNameFileAndLineAndImportNothing() async throws {
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("q.db").path
        let csv = dir.appendingPathComponent("bad.csv").path
        try "\u{FEFF}name,registration_no,region,urls\r\n好机构,G1,湖南,http://example.org/\r\n坏机构,G2,湖南,ftp://example.org/\r\n,G3,湖南,http://x.org/\r\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let out = try await run(["agencies", "import", csv, "--db", db])
        #expect(out.status == 2)
        #expect(out.stderr.contains("\(csv):3:"))
        #expect(out.stderr.contains("\(csv):4:"))
        let list = try await run(["agencies", "list", "--db", db])
        #expect(list.stdout.contains("0 agencies"))
    }

    @Test func workingTheQueueFromTheCommandLine() async throws {
        let server = try await LoopbackServer.start(["/": .html(page("<p>零基础包拿证！考试不过，全额退费。</p>"))])
        defer { Task { await server.stop() } }
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("q.db").path
        let env = ["CLAIMSCAN_DB": db]
        let store = try CaseStore(path: db)
        _ = try store.upsertAgency(registrationNo: "Q1", name: "队列机构", region: "湖南省长沙市", urls: [server.url("/")])
        #expect(try await run(["scan", "--allow-private-network", "--delay", "0", "--quiet"], environment: env).status == 0)

        let list = try await run(["cases", "list", "--json"], environment: env)
        let objects = list.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 2)
        for o in objects {
            for key in ["id", "agency", "registration_no", "url", "rule", "category", "severity", "status", "text", "first_seen", "last_seen", "times_seen", "not_seen"] {
                #expect(o[key] != nil, "missing \(key)")
            }
        }
        let id = try #require(objects.first?["id"] as? Int)
        let dismiss = try await run(["cases", "update", "\(id)", "--status", "dismissed"], environment: env)
        #expect(dismiss.status == 2)
        #expect(dismiss.stderr.contains("note"))
        let ok = try await run(["cases", "update", "\(id)", "--status", "dismissed", "--note", "误报：引用的是禁令", "--by", "张三"], environment: env)
        #expect(ok.status == 0)
        let show = try await run(["cases", "show", "\(id)"], environment: env)
        #expect(show.stdout.contains("open → dismissed by 张三: 误报：引用的是禁令"))
        #expect(show.stdout.contains("verified: stored response bytes"))
        let csv = try await run(["cases", "list", "--csv", "--status", "open"], environment: env)
        #expect(csv.stdout.hasPrefix("\u{FEFF}"))
        #expect(csv.stdout.split(separator: "\r\n").count == 2)       // header + the one open case
        let exported = dir.appendingPathComponent("cases.jsonl").path
        #expect(try await run(["cases", "export", "--format", "jsonl", "--out", exported], environment: env).status == 0)
        #expect(try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n").count == 2)
        let filtered = try await run(["cases", "list", "--json", "--category", "refund-if-fail", "--region", "湖南省"], environment: env)
        #expect(filtered.stdout.split(separator: "\n").count == 1)
    }
}
