import Foundation
import Testing
import TestSupport
@testable import ClaimEvidence

@Suite struct RoundTripTests {
    @Test func writeAndReadBack() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url)
        let exchanges = sampleExchanges()
        var locations: [WARCLocation] = []
        for (i, ex) in exchanges.enumerated() {
            let meta: [(String, String)] = [("charset", i == 0 ? "GBK (meta + header)" : "n/a"), ("findings", "\(i)")]
            locations.append(try writer.write(ex, metadata: meta))
        }
        try writer.flush()
        try writer.close()

        let files = try dir.warcFiles()
        #expect(files.count == 1)
        let records = try WARCReader.records(inFile: files[0])
        #expect(records.count == 1 + exchanges.count * 3)
        #expect(records.map { $0.type ?? "" } == ["warcinfo"] + Array(repeating: ["response", "request", "metadata"], count: exchanges.count).flatMap { $0 })

        // warcinfo
        let info = records[0]
        #expect(info.offset == 0)
        #expect(info.header("Content-Type") == "application/warc-fields")
        #expect(info.header("WARC-Filename") == files[0].lastPathComponent)
        let infoText = String(decoding: info.block, as: UTF8.self)
        #expect(infoText.contains("software: claimscan/0.1\r\n"))
        #expect(infoText.contains("format: WARC File Format 1.1\r\n"))
        let infoID = try #require(info.recordID)

        for r in records {
            // Mandatory fields and their shapes.
            #expect(r.header("Content-Length") == String(r.block.count))
            let id = try #require(r.recordID)
            #expect(id.hasPrefix("<urn:uuid:") && id.hasSuffix(">") && UUID(uuidString: String(id.dropFirst(10).dropLast())) != nil)
            let date = try #require(r.header("WARC-Date"))
            #expect(date.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"#, options: .regularExpression) != nil)
            #expect(r.header("WARC-Block-Digest") == independentSHA256Base32(r.block))
            if r.type != "warcinfo" { #expect(r.header("WARC-Warcinfo-ID") == infoID) }
        }
        #expect(records[1].header("WARC-Date") == "2025-01-01T12:00:00.250000Z")
        #expect(Set(records.compactMap(\.recordID)).count == records.count)

        for (i, ex) in exchanges.enumerated() {
            let response = records[1 + 3 * i], request = records[2 + 3 * i], metadata = records[3 + 3 * i]
            let responseID = try #require(response.recordID)
            #expect(response.targetURI == ex.targetURI)
            #expect(response.header("Content-Type") == "application/http;msgtype=response")
            #expect(response.header("WARC-IP-Address") == ex.ipAddress)
            #expect(response.httpBody == ex.body)
            #expect(response.header("WARC-Payload-Digest") == independentSHA256Base32(ex.body))
            #expect(request.header("WARC-Concurrent-To") == responseID)
            #expect(request.header("Content-Type") == "application/http;msgtype=request")
            #expect(request.targetURI == ex.targetURI)
            #expect(metadata.header("WARC-Concurrent-To") == responseID)
            #expect(metadata.header("WARC-Refers-To") == responseID)
            #expect(metadata.header("Content-Type") == "application/warc-fields")
            #expect(String(decoding: metadata.block, as: UTF8.self).contains("findings: \(i)\r\n"))

            // The HTTP head of the stored response is self-consistent with the stored body.
            let head = try #require(response.httpHead)
            let names = head.headers.map { $0.0.lowercased() }
            #expect(!names.contains("content-encoding"))
            #expect(!names.contains("transfer-encoding"))
            #expect(head.headers.filter { $0.0.lowercased() == "content-length" }.map(\.1) == [String(ex.body.count)])
            #expect(head.startLine.hasPrefix("\(ex.httpVersion) \(ex.statusCode)"))

            // The location seeks straight to the response record.
            #expect(locations[i].file == files[0].lastPathComponent)
            #expect(locations[i].offset == response.offset)
            let seeked = try WARCReader.record(at: locations[i], in: dir.url)
            #expect(seeked.recordID == responseID)
            #expect(seeked.httpBody == ex.body)
        }

        // Header rewriting details.
        let gbkHead = try #require(records[1].httpHead)
        #expect(gbkHead.startLine == "HTTP/1.1 200 OK")
        #expect(gbkHead.headers.contains { $0 == ("X-Claimscan-Original-Content-Encoding", "gzip") })
        #expect(gbkHead.headers.contains { $0 == ("X-Claimscan-Original-Content-Length", "77") })
        #expect(gbkHead.headers.contains { $0 == ("Content-Type", "text/html; charset=GBK") })
        #expect(try #require(records[4].httpHead).headers.contains { $0 == ("X-Claimscan-Original-Transfer-Encoding", "chunked") })
        // Requests: as sent, or minimal with Host.
        #expect(String(decoding: records[2].block, as: UTF8.self) ==
                "GET /zhengshu/index.html?id=3 HTTP/1.1\r\nHost: www.example-cert.cn\r\nUser-Agent: claimscan/0.1\r\nAccept-Encoding: gzip\r\n\r\n")
        #expect(String(decoding: records[5].block, as: UTF8.self) == "GET /logo.png HTTP/1.1\r\nHost: example-cert.cn\r\n\r\n")
        #expect(String(decoding: records[8].block, as: UTF8.self) ==
                "GET /empty HTTP/1.1\r\nHost: example-cert.cn:8443\r\nUser-Agent: claimscan/0.1\r\n\r\n")
        #expect(try #require(records[10].httpHead).startLine == "HTTP/2 301 Moved Permanently")

        #expect(try WARCReader.verify(file: files[0]) == [])
    }

    @Test func jsonMetadataAndNoMetadata() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url)
        let ex = sampleExchanges()[0]
        let json = #"{"charset":"GBK","findings":[{"rule":"包过","offset":51}]}"#
        try writer.write(ex, metadataJSON: json)
        try writer.write(ex, metadata: [])
        try writer.close()
        let records = try WARCReader.records(inFile: try dir.warcFiles()[0])
        #expect(records.map { $0.type ?? "" } == ["warcinfo", "response", "request", "metadata", "response", "request"])
        #expect(records[3].header("Content-Type") == "application/json")
        #expect(String(decoding: records[3].block, as: UTF8.self) == json)
        #expect(throws: WARCError.closed) { try writer.write(ex, metadata: []) }
    }

    @Test func verifyDetectsTampering() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try WARCWriter(directory: dir.url)
        try writer.write(sampleExchanges()[0], metadata: [("k", "v")])
        try writer.close()
        let file = try dir.warcFiles()[0]
        // Rewrite the response member with one body byte flipped but the old digests kept.
        var records = try WARCReader.records(inFile: file)
        records[1].block[records[1].block.count - 1] ^= 0x01
        var rebuilt: [UInt8] = []
        for r in records {
            var text = "WARC/1.1\r\n"
            for (n, v) in r.headers { text += "\(n): \(v)\r\n" }
            text += "\r\n"
            rebuilt += try Gzip.member(Array(text.utf8) + r.block + [13, 10, 13, 10])
        }
        try Data(rebuilt).write(to: file)
        let problems = try WARCReader.verify(file: file)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("block digest mismatch") })
        #expect(problems.contains { $0.contains("payload digest mismatch") })
    }

    @Test func base32MatchesRFC4648Vectors() {
        #expect(WARCDigest.base32([]) == "")
        #expect(WARCDigest.base32(Array("f".utf8)) == "MY======")
        #expect(WARCDigest.base32(Array("fo".utf8)) == "MZXQ====")
        #expect(WARCDigest.base32(Array("foo".utf8)) == "MZXW6===")
        #expect(WARCDigest.base32(Array("foob".utf8)) == "MZXW6YQ=")
        #expect(WARCDigest.base32(Array("fooba".utf8)) == "MZXW6YTB")
        #expect(WARCDigest.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")
        // Empty-body SHA-256 as warcio writes it.
        #expect(WARCDigest.sha256([UInt8]()) == "sha256:4OYMIQUY7QOBJGX36TEJS35ZEQT24QPEMSNZGTFESWMRW6CSXBKQ====")
    }
}

@Suite struct LargeBodyTests {
    /// An incompressible 1.5 MB body: its member is larger than the reader's first seek window.
    @Test(.onOwnThread) func largeIncompressibleBodySeeksAndVerifies() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var rng = SystemRandomNumberGenerator()
        let body = (0..<(1_500_000)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let writer = try WARCWriter(directory: dir.url, maxFileBytes: 1_000_000)
        let small = try writer.write(sampleExchanges()[0], metadata: [("a", "b")])
        let big = try writer.write(HTTPExchange(targetURI: "https://example-cert.cn/big.bin", statusCode: 200,
                                                responseHeaders: [("Content-Type", "application/octet-stream")], body: body),
                                   metadata: [("size", String(body.count))])
        let after = try writer.write(sampleExchanges()[2], metadata: [])
        try writer.close()
        // The oversized exchange got a file of its own (after the first), and the next one rolled again.
        #expect(Set([small.file, big.file, after.file]).count == 3)
        let r = try WARCReader.record(at: big, in: dir.url)
        #expect(r.httpBody == body)
        #expect(r.memberLength > 256 * 1024)
        for file in try dir.warcFiles() { #expect(try WARCReader.verify(file: file) == []) }
    }
}
