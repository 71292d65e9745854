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

    /// The promise model from the command line: a promise in words no rule knows is reported
    /// as `model.*` with its score and cues (JSON), not with `--no-model`; `model train` writes
    /// a model that `model score` and `eval` read from a lexicon folder.
    @Test func promiseModelFromTheCommandLine() async throws {
        let promise = "您只管来上课，考场那边的事情我们去打点，到时候安心等证就行。"
        let rulesOnly = try await runClaimscan(["check", "--no-model", "-"], stdin: promise)
        #expect(rulesOnly.status == 0, "\(rulesOnly.stdout)")
        let out = try await runClaimscan(["check", "--json", "-"], stdin: promise)
        #expect(out.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let finding = try #require((report["findings"] as? [[String: Any]])?.first)
        #expect((finding["rule"] as? String)?.hasPrefix("model.") == true)
        #expect(finding["severity"] as? String == "low")
        #expect(finding["visible_text"] as? String == promise)
        let model = try #require(finding["model"] as? [String: Any])
        #expect(((model["score"] as? Double) ?? 0) >= 0.85)
        #expect(((model["cues"] as? [String]) ?? []).count > 0)

        // Train a small model into a lexicon folder of its own, then read with it.
        let dir = try temporaryDirectory()
        try TestRulesText.baoGuo.write(to: dir.appendingPathComponent("t.rules"), atomically: true, encoding: .utf8)
        var lines: [String] = []
        for (i, t) in ["考试我们包了，交钱等证", "不用考试，交钱等证就行", "考场我们打点好了，等证"].enumerated() {
            lines.append(#"{"id": "p\#(i)", "text": "\#(t)", "label": 1, "category": "no-real-assessment"}"#)
        }
        for (i, t) in ["考试时间以官网通知为准", "证书由评价机构颁发", "报名材料请提前准备好"].enumerated() {
            lines.append(#"{"id": "n\#(i)", "text": "\#(t)", "label": 0, "category": "none"}"#)
        }
        let corpus = dir.appendingPathComponent("c.jsonl")
        try lines.joined(separator: "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let modelPath = dir.appendingPathComponent("promise.model").path
        let train = try await runClaimscan(["model", "train", corpus.path, "--out", modelPath, "--iterations", "100"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(FileManager.default.fileExists(atPath: modelPath))
        let score = try await runClaimscan(["model", "score", "--lexicon", dir.path, "交钱等证，考试我们包了，放心"])
        #expect(score.status == 0, "\(score.stderr)")
        let first = try #require(Double(score.stdout.split(separator: "\t").first.map(String.init) ?? ""))
        #expect(first > 0.5)
        let eval = try await runClaimscan(["eval", corpus.path, "--lexicon", dir.path, "--quiet"])
        #expect(eval.stdout.contains("overall"))
        // A broken model file is a lexicon error, exit 2, naming the file.
        try Data("claimscan promise model 1\nbits = 16\n".utf8).write(to: URL(fileURLWithPath: modelPath))
        let broken = try await runClaimscan(["check", "--lexicon", dir.path, "-"], stdin: promise)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("promise.model:0: no `tables` line"), "\(broken.stderr)")
        // The rules alone neither read nor check the model file.
        let rulesAlone = try await runClaimscan(["check", "--no-model", "--lexicon", dir.path, "-"], stdin: "本班包过")
        #expect(rulesAlone.status == 1, "\(rulesAlone.stderr)")
        let lexiconTest = try await runClaimscan(["lexicon", "test", "--lexicon", dir.path])
        #expect(lexiconTest.status == 0, "\(lexiconTest.stderr)")
    }
}

/// A one-rule lexicon file for command-line tests.
enum TestRulesText {
    static let baoGuo = """
    [rule t.bao-guo]
    category = pass-guarantee
    severity = high
    basis = 广告法第二十四条第（一）项
    description = 宣称包过
    pattern = 包过
    exclude = 打包过程
    match = 本班包过
    nomatch = 打包过程
    """
}

