import ClaimCheck
import ClaimFetch
import ClaimText
import Foundation
import TestSupport

/// The repository root (for fixtures and the bundled lexicon).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("fixtures").appendingPathComponent(path)))
}

/// The bundled lexicon, compiled once.
let bundledMatcher: Matcher = {
    let lexicon = try! LexiconParser.load(path: repositoryRoot.appendingPathComponent("lexicons").path)
    return try! Matcher(lexicon: lexicon)
}()

/// A checker allowed to reach the loopback test server.
func loopbackChecker(_ adjust: (inout FetchPolicy) -> Void = { _ in }) -> Checker {
    var policy = FetchPolicy()
    policy.privateNetwork = .allowAll
    adjust(&policy)
    return Checker(matcher: bundledMatcher, policy: policy)
}

/// Runs a blocking check on a thread of its own, so the test server's tasks
/// keep the cooperative pool (two threads on a two-core machine).
func check(_ checker: Checker, _ target: String) async -> TargetReport {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: checker.check(target)) }.start()
    }
}

/// The built `claimscan` binary, next to the test bundle.
let claimscanBinary: URL = {
    let besideTests = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("claimscan")
    if let b = besideTests, FileManager.default.isExecutableFile(atPath: b.path) { return b }
    for candidate in [".build/debug/claimscan", ".build/release/claimscan"] {
        let url = repositoryRoot.appendingPathComponent(candidate)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/claimscan")
}()

struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the binary with arguments (and optional standard input) on its own thread.
func runClaimscan(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: String? = nil) async throws -> ProcessOutput {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do {
                let process = Process()
                process.executableURL = claimscanBinary
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
                if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                try input.fileHandleForWriting.close()
                let o = out.fileHandleForReading.readDataToEndOfFile()
                let e = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: ProcessOutput(
                    status: process.terminationStatus,
                    stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}

/// Strips `<meta ... charset ...>` declarations from an HTML fixture (as bytes).
func withoutMetaCharset(_ bytes: [UInt8]) -> [UInt8] {
    let latin = String(decoding: bytes.map { $0 < 0x80 ? $0 : UInt8(ascii: "~") }, as: UTF8.self)
    guard let range = latin.range(of: #"<meta http-equiv="Content-Type"[^>]*>"#, options: .regularExpression) else { return bytes }
    let start = latin.utf8.distance(from: latin.startIndex, to: range.lowerBound)
    let end = latin.utf8.distance(from: latin.startIndex, to: range.upperBound)
    return Array(bytes[..<start]) + Array(bytes[end...])
}
