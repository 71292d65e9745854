import Testing
@testable import ClaimText

@Suite struct CharTableTests {
    let table = CharTable.shared

    @Test func foldsWidthCaseTraditionalAndTones() {
        #expect(table.normalize("ＢＡＯ１００％") == "bao100%")
        #expect(table.normalize("包過保證拿證") == "包过保证拿证")
        #expect(table.normalize("保証") == "保证")
        #expect(table.normalize("bāo guò") == "bao guo")
        #expect(table.normalize("考試") == "考试")
    }

    @Test func removesInvisibleCharacters() {
        #expect(table.normalize("包\u{200B}过") == "包过")
        #expect(table.normalize("包\u{200D}\u{FEFF}\u{00AD}\u{2060}\u{202E}过") == "包过")
    }

    @Test func reportsWhatItDid() {
        var out: [Unicode.Scalar] = []
        #expect(table.normalize("過", into: &out).contains(.traditional))
        #expect(table.normalize("Ｂ", into: &out).contains(.width))
        #expect(table.normalize("\u{200B}", into: &out).contains(.invisible))
        #expect(table.normalize("包", into: &out).isEmpty)
    }
}
