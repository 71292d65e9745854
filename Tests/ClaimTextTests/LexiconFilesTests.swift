import Foundation
import Testing
import TestSupport
@testable import ClaimText

/// The bundled lexicon (lexicons/ at the repository root) must load, pass
/// every rule's own examples, and cover every category.
@Suite struct LexiconFilesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lexicons").path

    @Test(.onOwnThread) func bundledLexiconPassesItsExamples() throws {
        var lexicon = try LexiconParser.load(path: Self.directory)
        // The examples test the rules (as `claimscan lexicon test` does): the promise model,
        // a second reader with its own measure (PromiseModelTests, the README), is left out.
        #expect(lexicon.model != nil)
        lexicon.model = nil
        let matcher = try Matcher(lexicon: lexicon)
        let (passed, failures) = matcher.testExamples()
        for failure in failures { Issue.record("\(failure)") }
        #expect(passed > 0)
        let covered = Set(lexicon.rules.map(\.category))
        #expect(covered == Set(Category.allCases), "categories without rules: \(Set(Category.allCases).subtracting(covered))")
        for rule in lexicon.rules {
            #expect(!rule.mustMatch.isEmpty && !rule.mustNotMatch.isEmpty, "rule \(rule.id) needs examples both ways")
        }
    }
}
