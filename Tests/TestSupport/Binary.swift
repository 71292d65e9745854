import Foundation

/// The repository root (fixtures, lexicons, scripts).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh empty directory under the system's temporary directory.
public func temporaryDirectory(_ prefix: String = "claimscan-tests") throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Polls `condition` until it holds or `timeout` seconds pass.
///
/// The timeout only stops a test that would otherwise wait for ever (it returns as soon as
/// the condition holds), so it is generous: a busy two-core CI machine can take many
/// seconds to start a claimscan process and get through its first pages.
public func waitUntil(timeout: Double = 120, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}

/// Runs the built `claimscan` binary, as a user would.
public enum ClaimscanBinary {
    /// Next to the test bundle (`.build/<config>/claimscan`).
    public static let url: URL = {
        if let beside = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("claimscan"),
           FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for candidate in [".build/debug/claimscan", ".build/release/claimscan"] {
            let url = repositoryRoot.appendingPathComponent(candidate)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/claimscan")
    }()

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// No test waits for ever: a process still running this many seconds after it started is
    /// killed, so a hang fails its test (exit by signal) instead of using up the CI run.
    /// (`CLAIMSCAN_TEST_DEADLINE` overrides it, to try the watchdog.)
    public static let deadline: TimeInterval = ProcessInfo.processInfo.environment["CLAIMSCAN_TEST_DEADLINE"].flatMap(TimeInterval.init) ?? 300

    /// Starts the binary (NO_COLOR set); the caller waits for it or kills it (see ``deadline``).
    public static func launch(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
                              stdin: String? = nil) throws -> (process: Process, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { [weak process] in
            if let process, process.isRunning {
                FileHandle.standardError.write(Data("claimscan \(arguments.joined(separator: " ")): still running after \(Int(deadline)) s, killed\n".utf8))
                kill(pid, SIGKILL)
            }
        }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        return (process, out, err)
    }

    /// Runs the binary to completion on a thread of its own (never blocking the
    /// cooperative pool the loopback server needs).
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           directory: String? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let (p, out, err) = try launch(arguments, environment: environment, directory: directory, stdin: stdin)
                    let (o, e) = readBoth(out.fileHandleForReading, err.fileHandleForReading)
                    p.waitUntilExit()
                    continuation.resume(returning: Output(
                        status: p.terminationStatus,
                        stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }
}
