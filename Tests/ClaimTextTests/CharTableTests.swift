import Testing
@testable import ClaimText

@Suite struct CharTableTests {
    let table = CharTable.shared

    /// The in-place path (room for 64 extra scalars) and the growing path give the same
    /// text and the same map back to the run.
    @Test(arguments: [3, 200]) func expansionsOverflowingTheRoomTakeTheGrowingPath(count: Int) {
        let text = String(repeating: "㈱包\u{200B}過", count: count)   // ㈱ → (株), zero-width removed
        let normalized = NormalizedText(TextRun(utf8Text: text))
        #expect(String(String.UnicodeScalarView(normalized.scalars)) == String(repeating: "(株)包过", count: count))
        #expect(normalized.source.count == normalized.scalars.count)
        #expect(Array(normalized.source.prefix(6)) == [0, 0, 0, 1, 3, 4])
        #expect(normalized.removedBefore(4) == .invisible && normalized.flags(4) == .traditional)
    }

    @Test func foldsWidthCaseTraditionalAndTones() {
        #expect(table.normalize("ＢＡＯ１００％") == "bao100%")
        #expect(table.normalize("包過保證拿證") == "包过保证拿证")
        #expect(table.normalize("保証") == "保证")
        #expect(table.normalize("bāo guò") == "bao guo")
        #expect(table.normalize("考試") == "考试")
        // Outside the BMP: a squared ideograph folds to a traditional form, then is simplified.
        #expect(table.normalize("🈚需考试") == "无需考试")
        var out: [Unicode.Scalar] = []
        #expect(table.normalize("🈚", into: &out) == [.width, .traditional])
        #expect(table.normalize("𝐛𝐚𝐨") == "bao")
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
