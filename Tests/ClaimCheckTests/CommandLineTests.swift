import ClaimPage
import Foundation
import Testing
import TestSupport

/// The `claimscan` binary: exit statuses, JSON Lines, standard input, lexicon errors.
@Suite(.serialized) struct CommandLineTests {
    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func exitStatusZeroForACleanFile() async throws {
        let path = try temporaryFile("clean.txt", "小班教学，名师授课，报名需缴纳保证金。考后多久拿证请咨询。")
        let out = try await runClaimscan(["check", path])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("0 findings"))
    }

    @Test func exitStatusOneForFindingsWithJSONLines() async throws {
        let path = try temporaryFile("ad.txt", "本期电工证培训包过，考试不过，全额退费！")
        let out = try await runClaimscan(["check", "--json", path])
        #expect(out.status == 1)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["target"] as? String == path)
        #expect(object["error"] is NSNull)
        let charset = try #require(object["charset"] as? [String: Any])
        #expect(charset["chosen"] as? String == "UTF-8")
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count >= 2)
        let raw = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        for f in findings {
            let start = try #require(f["byte_start"] as? Int), end = try #require(f["byte_end"] as? Int)
            #expect(String(decoding: raw[start..<end], as: UTF8.self) == f["text"] as? String)
            for key in ["rule", "category", "severity", "basis", "context", "location"] { #expect(f[key] is String, "\(key)") }
            #expect(f["normalizations"] is [Any])
        }
        #expect(findings.contains { $0["category"] as? String == "refund-if-fail" })
    }

    @Test func gbkPageOverLoopbackFromTheBinary() async throws {
        let raw = try fixture("demo/agency-hongda.gbk.html")
        let server = try await LoopbackServer.start(["/": .respond(headers: [("Content-Type", "text/html")], body: raw)])
        defer { Task { await server.stop() } }
        let out = try await runClaimscan(["check", "--json", "--allow-private-network", server.url("/")])
        #expect(out.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(object["final_url"] as? String == server.url("/"))
        #expect(object["status"] as? Int == 200)
        #expect((object["sha256"] as? String)?.count == 64)
        let headers = try #require(object["headers"] as? [[String: Any]])
        #expect(headers.contains { ($0["name"] as? String)?.lowercased() == "content-type" && $0["value"] as? String == "text/html" })
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count >= 8)
        for f in findings {
            let start = f["byte_start"] as! Int, end = f["byte_end"] as! Int
            #expect(Charset.decode(raw[start..<end], charset: "GB18030") == f["text"] as? String)
        }
        #expect(findings.contains { ($0["normalizations"] as? [String])?.contains("markup") == true })
        #expect(findings.contains { ($0["normalizations"] as? [String])?.contains("entity") == true })
    }

    @Test func exitStatusThreeWhenATargetCannotBeRead() async throws {
        let clean = try temporaryFile("clean.txt", "名师授课")
        let out = try await runClaimscan(["check", clean, "/no/such/file.html"])
        #expect(out.status == 3)
        #expect(out.stdout.contains("no such file"))
        // Without permission, loopback is refused: never fetched, never clean.
        let refused = try await runClaimscan(["check", "http://127.0.0.1:9/"])
        #expect(refused.status == 3)
        #expect(refused.stdout.contains("--allow-private-network"))
        let scheme = try await runClaimscan(["check", "file:///etc/passwd"])
        #expect(scheme.status == 3)
    }

    @Test func findingsWinOverFailuresInTheExitStatus() async throws {
        let ad = try temporaryFile("ad.txt", "包过班")
        let out = try await runClaimscan(["check", ad, "/no/such/file"])
        #expect(out.status == 1)
    }

    @Test func standardInput() async throws {
        let out = try await runClaimscan(["check", "-"], stdin: "零基础包拿证，7天拿证")
        #expect(out.status == 1)
        #expect(out.stdout.contains("7天拿证"))
        let clean = try await runClaimscan(["check", "-"], stdin: "从报名到拿证的流程")
        #expect(clean.status == 0)
    }

    @Test func brokenLexiconIsExitTwoWithFileAndLine() async throws {
        let lexicon = try temporaryFile("broken.rules", "[rule x.y]\ncategory = pass-guarantee\nseverity = huge\n")
        let out = try await runClaimscan(["check", "--lexicon", lexicon, "-"], stdin: "包过")
        #expect(out.status == 2)
        #expect(out.stderr.contains("\(lexicon):3: unknown severity `huge`"))
        #expect(out.stderr.contains("\(lexicon):1: rule `x.y` has no `basis`"))
        let test = try await runClaimscan(["lexicon", "test", "--lexicon", lexicon])
        #expect(test.status == 2)
    }

    @Test func usageErrorsAreExitTwo() async throws {
        #expect(try await runClaimscan(["check"]).status == 2)
        #expect(try await runClaimscan(["check", "--no-such-flag", "x"]).status == 2)
        #expect(try await runClaimscan(["frobnicate"]).status == 2)
        #expect(try await runClaimscan(["--help"]).status == 0)
    }

    @Test func lexiconCommands() async throws {
        let test = try await runClaimscan(["lexicon", "test"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains(" passed, 0 failed"))
        let list = try await runClaimscan(["lexicon", "list", "--json"])
        #expect(list.status == 0)
        let categories = Set(list.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["category"] as? String
        })
        #expect(categories.count == 9)
    }

    @Test func defaultLexiconIsFoundFromAnyDirectory() async throws {
        let out = try await runClaimscan(["lexicon", "list"], directory: "/")
        #expect(out.status == 0)
    }
}
