import ClaimCases
import Foundation
import Testing
import TestSupport
#if Postgres
import ClaimCasesPostgres
#endif

/// The test PostgreSQL server (`scripts/test.sh` starts one and sets the variable).
func serverURL() throws -> String {
    guard let url = ProcessInfo.processInfo.environment["CLAIMSCAN_TEST_POSTGRES"], !url.isEmpty else {
        throw WorkerTestError("CLAIMSCAN_TEST_POSTGRES is not set: run ./scripts/test.sh (it starts a throw-away PostgreSQL), "
            + "or start one with scripts/pg-cluster.sh and export the URL it prints")
    }
    return url
}

struct WorkerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

#if Postgres
/// A new, empty PostgreSQL database for one test; dropped when the value goes away.
final class TestDatabase {
    let name: String
    let server: String
    let url: String

    init() throws {
        server = try serverURL()
        name = "claimscan_w_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresStore.createDatabase(name, on: server)
        url = try PostgresStore.url(server, database: name)
    }

    func open() throws -> PostgresStore {
        try PostgresStore(url: url, evidenceDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(name))
    }

    deinit { try? PostgresStore.dropDatabase(name, on: server) }
}
#endif

/// A site whose home page links to `count` pages, each with its own promise (包过班N期).
func fanSite(_ count: Int, tag: String) -> [String: LoopbackRoute] {
    var links = ""
    var routes: [String: LoopbackRoute] = [:]
    for i in 1...count {
        links += "<a href=\"/p\(i).html\">第\(i)页</a> "
        routes["/p\(i).html"] = .html(html("<p>\(tag)第\(i)页：包过班\(i)期火热招生。</p>"))
    }
    routes["/"] = .html(html("<p>\(tag)首页</p>\(links)"))
    return routes
}

func html(_ body: String) -> String {
    "<html><head><meta charset=\"utf-8\"><title>测试机构</title></head><body>\(body)</body></html>"
}

/// Requests per path, robots.txt and sitemap.xml included.
func requestCounts(_ server: LoopbackServer) -> [String: Int] {
    var counts: [String: Int] = [:]
    for r in server.requests { counts[r.path, default: 0] += 1 }
    return counts
}

/// A claimscan process started in the background.
final class Worker: @unchecked Sendable {
    let process: Process
    let out: Pipe
    let err: Pipe

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        (process, out, err) = try ClaimscanBinary.launch(arguments, environment: environment)
    }

    /// Waits for it to exit (on a thread of its own, not the cooperative pool).
    func finish() async -> ClaimscanBinary.Output {
        await withCheckedContinuation { continuation in
            Thread {
                let (o, e) = readBoth(self.out.fileHandleForReading, self.err.fileHandleForReading)
                self.process.waitUntilExit()
                continuation.resume(returning: ClaimscanBinary.Output(
                    status: self.process.terminationStatus,
                    stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self)))
            }.start()
        }
    }
}

/// The scan summary a worker printed with --json.
func summary(_ output: ClaimscanBinary.Output) throws -> [String: Any] {
    let line = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw WorkerTestError("no JSON summary in: \(output.stdout) \(output.stderr)")
    }
    return object
}

/// The summary fields that describe what the run found (not how long it took or where files went).
func essentials(_ s: [String: Any]) -> [String: Int] {
    var out: [String: Int] = [:]
    for key in ["sites", "sites_failed", "pages", "not_modified", "errors", "findings", "new_cases", "seen_again",
                "reopened", "no_longer_seen", "robots_blocked", "skipped_by_trap_limits"] {
        out[key] = s[key] as? Int ?? -1
    }
    return out
}

/// Runs a command and waits for it (not for daemons it starts: Foundation's `Process`
/// waits until every inherited descriptor closes, which a server started by the command keeps).
func spawnAndWait(_ argv: [String]) async -> Int32 {
    await withCheckedContinuation { continuation in
        Thread {
            var pid: pid_t = 0
            var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            defer { for p in cArgs { free(p) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            defer { posix_spawn_file_actions_destroy(&actions) }
            guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else {
                continuation.resume(returning: -1)
                return
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            continuation.resume(returning: (status >> 8) & 0xff)
        }.start()
    }
}
