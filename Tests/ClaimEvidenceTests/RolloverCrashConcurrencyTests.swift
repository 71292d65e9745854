import Foundation
import Testing
@testable import ClaimEvidence

@Suite struct RolloverTests {
    @Test func rollsOverAtSizeLimit() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let limit: Int64 = 4096
        let writer = try WARCWriter(directory: dir.url, maxFileBytes: limit)
        let exchanges = sampleExchanges()
        var written: [(WARCLocation, HTTPExchange)] = []
        for i in 0..<24 {
            var ex = exchanges[i % exchanges.count]
            ex.targetURI += ex.targetURI.contains("?") ? "&n=\(i)" : "?n=\(i)"
            written.append((try writer.write(ex, metadata: [("n", String(i))]), ex))
        }
        try writer.close()

        let files = try dir.warcFiles()
        #expect(files.count >= 3)
        #expect(Set(files.map(\.lastPathComponent)) == Set(writer.files))
        var responses = 0
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as! Int
            let records = try WARCReader.records(inFile: file)
            #expect(records.first?.type == "warcinfo")
            #expect(records.filter { $0.type == "warcinfo" }.count == 1)
            #expect(records.first?.header("WARC-Filename") == file.lastPathComponent)
            // Members tile the file exactly: nothing split, nothing left over.
            #expect(records.reduce(0) { $0 + $1.memberLength } == size)
            // Exchanges are never split across files: every request/metadata's response is here.
            let ids = Set(records.compactMap(\.recordID))
            for r in records where r.type == "request" || r.type == "metadata" {
                #expect(ids.contains(r.header("WARC-Concurrent-To") ?? "-"))
            }
            // A file only exceeds the limit if it holds a single exchange.
            if size > Int(limit) { #expect(records.filter { $0.type == "response" }.count == 1) }
            #expect(try WARCReader.verify(file: file) == [])
            responses += records.filter { $0.type == "response" }.count
        }
        #expect(responses == 24)
        for (location, ex) in written {
            let r = try WARCReader.record(at: location, in: dir.url)
            #expect(r.type == "response")
            #expect(r.targetURI == ex.targetURI)
            #expect(r.httpBody == ex.body)
        }
        // File names: claimscan-<17-digit UTC timestamp>-<serial>-<random>.warc.gz, serials in order.
        let names = writer.files
        for (i, name) in names.enumerated() {
            #expect(name.range(of: #"^claimscan-\d{17}-\d{5}-[0-9a-f]{8}\.warc\.gz$"#, options: .regularExpression) != nil)
            #expect(name.contains("-\(String(format: "%05d", i))-"))
        }
    }
}

@Suite struct CrashTests {
    @Test func tornLastRecordIsReportedAlone() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url)
        let exchanges = sampleExchanges()
        var locations: [WARCLocation] = []
        for ex in exchanges { locations.append(try writer.write(ex, metadata: .none)) }
        try writer.flush()
        let file = try #require(try dir.warcFiles().first)
        let full = try WARCReader.records(inFile: file)
        try writer.close()

        // Cut the last record's member in half, as a kill -9 mid-write would.
        let last = try #require(full.last)
        let cut = Int(last.offset) + last.memberLength / 2
        let data = try Data(contentsOf: file)
        try data.prefix(cut).write(to: file)

        let scan = try WARCReader.scan(file: file)
        #expect(scan.records.count == full.count - 1)
        #expect(zip(scan.records, full).allSatisfy { $0.recordID == $1.recordID && $0.block == $1.block })
        #expect(scan.problems.count == 1)
        #expect(scan.problems.first?.offset == last.offset)
        #expect(scan.problems.first?.error == .truncatedMember(offset: last.offset))
        #expect(throws: WARCError.truncatedMember(offset: last.offset)) { try WARCReader.records(inFile: file) }
        // Earlier locations still resolve; verification names the torn member.
        for loc in locations.dropLast() { #expect(try WARCReader.record(at: loc, in: dir.url).type == "response") }
        let problems = try WARCReader.verify(file: file)
        #expect(problems == ["offset \(last.offset): truncated gzip member at offset \(last.offset)"])

        // Tear the last *response* (its request follows): the seek reports it truncated too.
        try data.prefix(Int(locations.last!.offset) + 20).write(to: file)
        #expect(throws: WARCError.truncatedMember(offset: locations.last!.offset)) {
            try WARCReader.record(at: locations.last!, in: dir.url)
        }
    }

    @Test func corruptMiddleMemberDoesNotHideLaterRecords() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url)
        for ex in sampleExchanges() { try writer.write(ex, metadata: .none) }
        try writer.close()
        let file = try dir.warcFiles()[0]
        let full = try WARCReader.records(inFile: file)
        var data = [UInt8](try Data(contentsOf: file))
        let victim = full[3]  // a response record in the middle
        let mid = Int(victim.offset) + victim.memberLength / 2
        for i in mid..<(mid + 8) { data[i] ^= 0xFF }
        try Data(data).write(to: file)
        let scan = try WARCReader.scan(file: file)
        #expect(scan.problems.count == 1)
        #expect(scan.problems.first?.offset == victim.offset)
        #expect(scan.records.map(\.recordID) == full.filter { $0.offset != victim.offset }.map(\.recordID))
    }
}

@Suite struct ConcurrencyTests {
    @Test func manyThreadsWriteAtOnce() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url, maxFileBytes: 16 * 1024)
        let exchanges = sampleExchanges()
        let threads = 8, perThread = 25
        let results = Locked<[(WARCLocation, String, [UInt8])]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                var ex = exchanges[(t + i) % exchanges.count]
                ex.targetURI = "https://example-cert.cn/t\(t)/p\(i)"
                ex.body += Array("thread \(t) page \(i)".utf8)
                do {
                    let loc = try writer.write(ex, metadata: [("thread", String(t)), ("page", String(i))])
                    if i % 10 == 0 { try writer.flush() }
                    results.withLock { $0.append((loc, ex.targetURI, ex.body)) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        try writer.close()
        #expect(failures.withLock { $0 } == [])
        let all = results.withLock { $0 }
        #expect(all.count == threads * perThread)
        #expect(Set(all.map(\.0)).count == all.count)
        for (loc, uri, body) in all {
            let r = try WARCReader.record(at: loc, in: dir.url)
            #expect(r.type == "response" && r.targetURI == uri && r.httpBody == body)
        }
        var responses = 0
        for file in try dir.warcFiles() {
            #expect(try WARCReader.verify(file: file) == [])
            let records = try WARCReader.records(inFile: file)
            #expect(records.first?.type == "warcinfo")
            // Records of one exchange are adjacent: response, request, metadata.
            for (i, r) in records.enumerated() where r.type == "response" {
                #expect(records[i + 1].header("WARC-Concurrent-To") == r.recordID)
                #expect(records[i + 2].header("WARC-Concurrent-To") == r.recordID)
            }
            responses += records.filter { $0.type == "response" }.count
        }
        #expect(responses == threads * perThread)
    }
}
