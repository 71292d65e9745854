import Foundation
import Testing
import TestSupport
@testable import ClaimText

/// Tables generated from ICU and committed (for start-up speed) must equal what
/// ICU computes now. With CLAIMSCAN_WRITE_GENERATED=1 the test rewrites them.
@Suite struct GeneratedTablesTests {
    @Test func characterTableMatchesICU() throws {
        let fromICU = CharTable.fromICU()
        #expect(CharTable.traditionalPairsFromICU().count > 2000)
        let path = repositoryRoot.appendingPathComponent("Sources/CClaimTables/char_table.c").path
        if ProcessInfo.processInfo.environment["CLAIMSCAN_WRITE_GENERATED"] != nil {
            try fromICU.cSource().write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let committed = try #require(CharTable.committed(), "regenerate: CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests")
        let classes = try #require(Skeleton.committedClassTable(), "regenerate: CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests")
        #expect(classes == Skeleton.computedClassTable(), "character classes differ; regenerate")
        #expect(committed.sameAnswers(as: fromICU), "regenerate: CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests")
        // Spot checks of what the table is for.
        var out: [Unicode.Scalar] = []
        #expect(committed.normalize("過證Ｂāo\u{200B}") == "过证bao")
        #expect(committed.normalize("\u{0304}", into: &out) == .tone && out.isEmpty)
    }

    @Test(.onOwnThread) func hanPinyinTableMatchesICU() throws {
        let fromICU = try #require(HanPinyin.fromICU())
        let tonesFromICU = try #require(HanPinyin.tonesFromICU())
        let path = repositoryRoot.appendingPathComponent("Sources/ClaimText/Generated/HanPinyinTable.swift").path
        if ProcessInfo.processInfo.environment["CLAIMSCAN_WRITE_GENERATED"] != nil {
            try HanPinyin.source(fromICU, tones: tonesFromICU).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(HanPinyin.table.count == HanPinyin.range.count, "regenerate: CLAIMSCAN_WRITE_GENERATED=1 swift test --filter GeneratedTablesTests")
        let committed = HanPinyin.table
        let differing = zip(committed, fromICU).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(differing.isEmpty, "\(differing.count) readings differ from ICU, e.g. U+\(String(HanPinyin.range.lowerBound + UInt32(differing.first?.offset ?? 0), radix: 16))")
        #expect(HanPinyin.tones == tonesFromICU, "tones differ from ICU; regenerate")
        #expect(HanPinyin.reading(0x5305) == "bao")   // 包
        #expect(HanPinyin.tone(0x5305) == 1 && HanPinyin.tone(0x8FC7) == 4 && HanPinyin.tone(0x88F9) == 3)   // 包 bāo, 过 guò, 裹 guǒ
        #expect(HanPinyin.reading(0x8FC7) == "guo")   // 过
    }
}
