import Foundation
import Testing
import TestSupport
@testable import ClaimCases

/// Errors collected from several threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: any Error) { lock.withLock { errors.append("\(error)") } }
    var all: [String] { lock.withLock { errors } }
}

@Suite("Database file, scan lock, resume, concurrency")
struct DatabaseTests {
    @Test("default path: --db, then $CLAIMSCAN_DB, then ./claimscan.db; evidence folder beside it")
    func paths() throws {
        #expect(CaseStore.defaultPath(explicit: "/x/a.db", environment: ["CLAIMSCAN_DB": "/y/b.db"]) == "/x/a.db")
        #expect(CaseStore.defaultPath(explicit: nil, environment: ["CLAIMSCAN_DB": "/y/b.db"]) == "/y/b.db")
        #expect(CaseStore.defaultPath(explicit: "", environment: ["CLAIMSCAN_DB": ""]) == "./claimscan.db")
        #expect(CaseStore.evidenceDirectory(forDatabaseAt: "/data/hunan.db").path == "/data/hunan.evidence")
        #expect(CaseStore.evidenceDirectory(forDatabaseAt: "/data/cases").path == "/data/cases.evidence")
        let dir = TempDir()
        let store = try CaseStore(path: dir.path("scan.db"))
        #expect(store.evidenceDirectory.lastPathComponent == "scan.evidence")
        #expect(!FileManager.default.fileExists(atPath: store.evidenceDirectory.path))
        try store.ensureEvidenceDirectory()
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir.path("scan.evidence"), isDirectory: &isDir) && isDir.boolValue)
    }

    @Test("reopening keeps the data; schema v1 applied once")
    func reopen() throws {
        let dir = TempDir()
        do {
            let f = try CaseStore(path: dir.path("c.db"))
            try f.upsertAgency(registrationNo: "HN-1", name: "学校", region: "湖南", urls: ["https://x.cn/"])
            try f.close()
        }
        let again = try CaseStore(path: dir.path("c.db"))
        #expect(try again.agencies().map(\.name) == ["学校"])
    }

    @Test("a file that is not a database gives a clear error, not a crash")
    func junkFile() throws {
        let dir = TempDir()
        let path = dir.path("junk.db")
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CaseStoreError.self) { try CaseStore(path: path) }
        #expect(error?.kind == .damaged)
        #expect(error?.description.hasPrefix("\(path): the case database is damaged") == true)
        #expect(error?.description.contains("backup") == true)
    }

    @Test("a database with damaged pages gives a clear error when read")
    func corruptPages() throws {
        let dir = TempDir()
        let path = dir.path("corrupt.db")
        do {
            let store = try CaseStore(path: path)
            for i in 0..<200 {
                try store.upsertAgency(registrationNo: "HN-\(i)", name: String(repeating: "学校", count: 20),
                                       region: "湖南", urls: ["https://x\(i).cn/"])
            }
            try store.checkpoint()
            try store.close()
        }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 8192)
        // Keep page 1 (the header and schema), overwrite everything after it.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        let error = #expect(throws: CaseStoreError.self) {
            let store = try CaseStore(path: path)
            _ = try store.agencies()
        }
        #expect(error?.kind == .damaged)
        #expect(error?.description.contains(path) == true)
    }

    @Test("a missing directory gives a clear error")
    func cannotOpen() throws {
        let error = #expect(throws: CaseStoreError.self) { try CaseStore(path: "/nonexistent-dir-\(UUID())/c.db") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description.contains("directory exists") == true)
    }

    @Test("a write lock held by another connection: busy timeout, then 'database is in use by another process'", .onOwnThread)
    func busy() throws {
        let f = try Fixture(busyTimeout: 0.5)
        let other = try CaseStore(path: f.store.path, busyTimeout: 0.5)  // another connection, as another process would
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? other.write { db in
                try db.execute(sql: "UPDATE agencies SET name = name")
                holding.signal()
                done.wait()
            }
            released.signal()
        }
        thread.start()
        holding.wait()
        let started = Date()
        let error = #expect(throws: CaseStoreError.self) {
            try f.store.upsertAgency(registrationNo: "HN-9", name: "x", region: "", urls: ["https://x.cn/"])
        }
        let waited = Date().timeIntervalSince(started)
        #expect(error?.kind == .inUse)
        #expect(error?.description.contains("database is in use by another process") == true)
        #expect(error?.description.hasPrefix(f.store.path) == true)
        #expect(waited >= 0.4 && waited < 4, "waited \(waited)s")
        // Readers are not blocked (WAL), and a new store can be opened meanwhile.
        #expect(try f.store.agencies().count == 2)
        #expect(try CaseStore(path: f.store.path, busyTimeout: 0.5).agencies().count == 2)
        done.signal()
        // Once the other transaction ends, writes go through. (Waiting for it to end, not a
        // fixed 0.1 s: a busy machine can take longer than that plus the 0.5 s busy timeout.)
        released.wait()
        try f.store.upsertAgency(registrationNo: "HN-9", name: "x", region: "", urls: ["https://x.cn/"])
        #expect(try f.store.agencies().count == 3)
    }

    @Test("a write lock held by another process (sqlite3 shell) is reported as in use",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func busyOtherProcess() throws {
        let f = try Fixture(busyTimeout: 0.3)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [f.store.path]
        let input = Pipe()
        let output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        try shell.run()
        defer {
            try? input.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
            shell.waitUntilExit()
        }
        try input.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let error = #expect(throws: CaseStoreError.self) {
            _ = try f.store.startRun(selection: .all)
        }
        #expect(error?.description.contains("database is in use by another process") == true)
        #expect(try f.store.runs().isEmpty)
        #expect(try f.store.agencies().count == 2)
    }

    @Test("scan lock: a second scan is refused with who holds it; release frees it")
    func scanLockHeld() throws {
        let f = try Fixture()
        let lock = try f.store.acquireScanLock()
        #expect(lock.owner.pid == getpid())
        let second = try CaseStore(path: f.store.path)
        let error = #expect(throws: ScanLockError.self) { try second.acquireScanLock() }
        #expect(error?.kind == .held)
        let host = ProcessIdentity.host
        #expect(error?.description.contains(
            "another scan (pid \(getpid()) on \(host), started \(CaseStore.timestamp(lock.owner.startedAt))) is running on this database"
        ) == true)
        try lock.heartbeat(runID: 7)
        #expect(try second.scanLockOwner()?.runID == 7)
        try lock.release()
        #expect(try second.scanLockOwner() == nil)
        let mine = try second.acquireScanLock()
        #expect(throws: ScanLockError.self) { try lock.heartbeat() }  // the old token is gone
        try mine.release()
    }

    @Test("scan lock: a lock left by a dead process on this host is taken over")
    func scanLockDeadOwner() throws {
        let f = try Fixture()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let deadPid = child.processIdentifier
        #expect(kill(deadPid, 0) != 0)
        let stale = try f.store.acquireScanLock(pid: deadPid, host: ProcessIdentity.host, staleAfter: 300)
        #expect(try f.store.scanLockOwner()?.pid == deadPid)
        let lock = try f.store.acquireScanLock()
        #expect(try f.store.scanLockOwner()?.pid == getpid())
        let lost = #expect(throws: ScanLockError.self) { try stale.heartbeat() }
        #expect(lost?.kind == .lost)
        try lock.release()
    }

    @Test("scan lock: refused while the owner process lives, taken over after it is killed with SIGKILL")
    func scanLockKill9() throws {
        let f = try Fixture()
        let owner = Process()
        owner.executableURL = URL(fileURLWithPath: "/bin/sleep")
        owner.arguments = ["30"]
        try owner.run()
        _ = try f.store.acquireScanLock(pid: owner.processIdentifier, host: ProcessIdentity.host, staleAfter: 300)
        let refused = #expect(throws: ScanLockError.self) { try f.store.acquireScanLock() }
        #expect(refused?.description.contains("pid \(owner.processIdentifier) on \(ProcessIdentity.host)") == true)
        kill(owner.processIdentifier, SIGKILL)
        owner.waitUntilExit()
        let lock = try f.store.acquireScanLock()
        #expect(try f.store.scanLockOwner()?.pid == getpid())
        try lock.release()
    }

    @Test("scan lock: another host's lock is respected until its heartbeat is stale")
    func scanLockStaleHeartbeat() throws {
        let dir = TempDir()
        let path = dir.path("l.db")
        let past = try CaseStore(path: path, clock: { day(0) })
        _ = try past.acquireScanLock(pid: 4242, host: "other-host", staleAfter: 300)
        let later = try CaseStore(path: path, clock: { day(0).addingTimeInterval(120) })
        let error = #expect(throws: ScanLockError.self) { try later.acquireScanLock() }
        #expect(error?.description.contains("another scan (pid 4242 on other-host, started 2024-05-01T08:00:00.000Z)") == true)
        let muchLater = try CaseStore(path: path, clock: { day(0).addingTimeInterval(600) })
        let lock = try muchLater.acquireScanLock()
        #expect(try muchLater.scanLockOwner()?.host == ProcessIdentity.host)
        try lock.release()
    }

    @Test("resume helpers: runs, run agencies, unfinished run, frontier", arguments: Backend.all)
    func resume(_ backend: Backend) throws {
        let f = try QueueFixture(backend)
        let s = f.store
        #expect(try s.unfinishedRun() == nil)
        #expect(throws: CaseRequestError.self) { try s.startRun(selection: .agencies(["HN-001", "HN-404"])) }
        #expect(try s.runs().isEmpty)

        struct Options: Codable, Equatable { var maxPages: Int; var delay: Double }
        let r1 = try s.startRun(selection: .agencies(["HN-002"]), options: Options(maxPages: 50, delay: 2))
        let run1 = try #require(try s.run(r1))
        #expect(run1.status == .running && run1.selection == .agencies(["HN-002"]) && run1.pid == getpid())
        #expect(try run1.options(as: Options.self) == Options(maxPages: 50, delay: 2))
        #expect(try s.runAgencies(r1).map(\.registrationNo) == ["HN-002"])
        try s.finishRun(r1, status: .complete, summary: ["pages": 3])
        #expect(try s.run(r1)?.summaryJSON == #"{"pages":3}"#)
        #expect(try s.run(r1)?.finishedAt != nil)
        #expect(try s.unfinishedRun() == nil)

        let r2 = try s.startRun(selection: .all)
        #expect(try s.runAgencies(r2).map(\.status) == [.pending, .pending])
        try s.markAgencyStarted(run: r2, agency: f.a1)
        #expect(try s.addToFrontier(run: r2, agency: f.a1, [
            FrontierEntry(url: "https://a.example.cn/", depth: 0),
            FrontierEntry(url: "https://a.example.cn/a", depth: 1),
            FrontierEntry(url: "https://a.example.cn/b", depth: 1),
        ]) == 3)
        #expect(try s.addToFrontier(run: r2, agency: f.a1, [
            FrontierEntry(url: "https://a.example.cn/a", depth: 1),
            FrontierEntry(url: "https://a.example.cn/c", depth: 2),
        ]) == 1)
        try s.recordPage(run: r2, agency: f.a1, page: page("https://a.example.cn/", at: day(0)), findings: [], complete: true)
        try s.markFetched(run: r2, agency: f.a1, url: "https://a.example.cn/b", state: .failed)
        try s.markAgencyFailed(run: r2, agency: f.a2, error: "DNS lookup failed")
        #expect(throws: CaseRequestError.self) { try s.markAgencyDone(run: r2, agency: 9999) }
        try s.finishRun(r2, status: .interrupted)

        // A new process resumes.
        let resumed = try #require(try s.unfinishedRun())
        #expect(resumed.id == r2 && resumed.status == .interrupted)
        let todo = try s.unfinishedAgencies(r2)
        #expect(todo.map(\.agencyID) == [f.a1])
        let frontier = try s.frontier(run: r2, agency: f.a1)
        #expect(frontier.done == ["https://a.example.cn/"])
        #expect(frontier.failed == ["https://a.example.cn/b"])
        #expect(frontier.pending == [FrontierEntry(url: "https://a.example.cn/a", depth: 1),
                                     FrontierEntry(url: "https://a.example.cn/c", depth: 2)])
        try s.resumeRun(r2)
        #expect(try s.run(r2)?.status == .running)
        #expect(try s.runAgencies(r2).first { $0.agencyID == f.a1 }?.status == .pending)
        let a1 = try #require(try s.runAgencies(r2).first { $0.agencyID == f.a1 })
        #expect(a1.pages == 1 && a1.errors == 1)
        let a2 = try #require(try s.runAgencies(r2).first { $0.agencyID == f.a2 })
        #expect(a2.status == .failed && a2.error == "DNS lookup failed" && a2.finishedAt != nil)
        try s.markAgencyStarted(run: r2, agency: f.a1)
        try s.markAgencyDone(run: r2, agency: f.a1)
        #expect(try s.unfinishedAgencies(r2).isEmpty)
        try s.finishRun(r2, status: .complete)
        #expect(try s.unfinishedRun() == nil)
        #expect(try s.runs().map(\.id) == [r2, r1])
    }

    @Test("two threads record pages at once (and a second store on the same file) without errors")
    func concurrentWriters() throws {
        let f = try Fixture()
        let other = try CaseStore(path: f.store.path)
        let run = try f.store.startRun(selection: .all)
        let errors = ErrorBox()
        let stores = [f.store, f.store, other]
        let agencies = [f.a1, f.a2, f.a1]
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            for i in 0..<40 {
                do {
                    let url = "https://w\(worker).example.cn/\(i)"
                    try stores[worker].recordPage(
                        run: run, agency: agencies[worker], page: page(url, at: day(0)),
                        findings: [finding("包过"), finding("拿证", rule: "cert")], complete: true
                    )
                    _ = try stores[worker].cases(filter: CaseFilter(limit: 5))
                } catch {
                    errors.add(error)
                }
            }
        }
        #expect(errors.all.isEmpty)
        #expect(try f.store.cases().count == 240)
        #expect(try f.store.cases(filter: CaseFilter(registrationNo: "HN-002")).count == 80)
        let counts = try f.store.runAgencies(run)
        #expect(counts.map(\.pages) == [80, 40])
    }
}
