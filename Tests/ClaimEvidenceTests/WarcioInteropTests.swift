import Foundation
import Testing
import TestSupport
@testable import ClaimEvidence

/// Runs the reference implementation (Python warcio) over files this writer produced.
@Suite struct WarcioInteropTests {
    @Test(.onOwnThread, .timeLimit(.minutes(5))) func warcioChecksAndIndexesOurFiles() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url, maxFileBytes: 8 * 1024)
        var recordCount = 0
        for round in 0..<3 {
            for (i, var ex) in sampleExchanges().enumerated() {
                ex.targetURI += ex.targetURI.contains("?") ? "&r=\(round)" : "?r=\(round)"
                if i % 2 == 0 {
                    try writer.write(ex, metadata: [("charset", "GBK"), ("findings", "2")])
                } else {
                    try writer.write(ex, metadataJSON: #"{"charset":"utf-8","findings":[]}"#)
                }
                recordCount += 3
            }
        }
        try writer.close()
        let files = try dir.warcFiles()
        recordCount += files.count  // one warcinfo each
        #expect(files.count >= 2)

        let script = repoRoot().appendingPathComponent("scripts/warcio-check.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", script.path, dir.url.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting so a chatty pip cannot block the child.
        let errData = Locked(Data())
        let errReader = Thread { errData.withLock { $0 = readAll(err.fileHandleForReading) } }
        errReader.start()
        let outData = readAll(out.fileHandleForReading)
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        let stdout = String(decoding: outData, as: UTF8.self)
        let stderr = String(decoding: errData.withLock { $0 }, as: UTF8.self)

        if let keep = ProcessInfo.processInfo.environment["CLAIMSCAN_KEEP_WARC"] {
            // For inspection: copy the files somewhere and show warcio's full output.
            let dest = URL(fileURLWithPath: keep)
            try? FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
            for f in files { try? FileManager.default.copyItem(at: f, to: dest.appendingPathComponent(f.lastPathComponent)) }
            print(stdout)
        }
        switch process.terminationStatus {
        case 2:
            print("NOTE: python3 is not installed; warcio interoperability check skipped. \(stderr)")
            return
        case 0:
            break
        default:
            Issue.record("warcio-check.sh exited \(process.terminationStatus)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)")
            return
        }
        // `warcio check -v`: one "digest pass" per record (every record has a block digest).
        let passes = stdout.components(separatedBy: "\n").filter { $0.trimmingCharacters(in: .whitespaces) == "digest pass" }.count
        #expect(passes == recordCount, "warcio check output:\n\(stdout)")
        #expect(!stdout.contains("failed"))
        // `warcio index`: one JSON line per record with our offsets.
        let indexLines = stdout.components(separatedBy: "\n").filter { $0.hasPrefix("{") }
        #expect(indexLines.count == recordCount)
        var ourOffsets: Set<String> = []
        for file in files {
            for r in try WARCReader.records(inFile: file) { ourOffsets.insert("\(file.lastPathComponent)@\(r.offset)") }
        }
        var theirOffsets: Set<String> = []
        for line in indexLines {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            theirOffsets.insert("\(obj["filename"] as? String ?? "")@\(obj["offset"] as? String ?? "")")
            if obj["warc-type"] as? String == "response" { #expect(obj["http:status"] != nil) }
        }
        #expect(theirOffsets == ourOffsets)
    }
}
