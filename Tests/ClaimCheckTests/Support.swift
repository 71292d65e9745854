import ClaimCheck
import ClaimFetch
import ClaimText
import Foundation
import TestSupport

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

/// A local file checked with the bundled lexicon (on a thread of its own, as `check`).
func checkFile(_ path: String) async -> TargetReport {
    await check(Checker(matcher: bundledMatcher, policy: FetchPolicy()), path)
}

/// Runs the binary (see TestSupport).
func runClaimscan(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: String? = nil) async throws -> ClaimscanBinary.Output {
    try await ClaimscanBinary.run(arguments, stdin: stdin, environment: environment, directory: directory)
}

/// Strips `<meta ... charset ...>` declarations from an HTML fixture (as bytes).
func withoutMetaCharset(_ bytes: [UInt8]) -> [UInt8] {
    let latin = String(decoding: bytes.map { $0 < 0x80 ? $0 : UInt8(ascii: "~") }, as: UTF8.self)
    guard let range = latin.range(of: #"<meta http-equiv="Content-Type"[^>]*>"#, options: .regularExpression) else { return bytes }
    let start = latin.utf8.distance(from: latin.startIndex, to: range.lowerBound)
    let end = latin.utf8.distance(from: latin.startIndex, to: range.upperBound)
    return Array(bytes[..<start]) + Array(bytes[end...])
}
