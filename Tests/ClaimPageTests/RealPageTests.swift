import ClaimPage
import ClaimText
import Testing

@Suite("Real pages")
struct RealPageTests {
    static let pairs = [("med66.com.html", "med66.com.gbk.html"), ("zikao365.com.html", "zikao365.com.gbk.html")]

    @Test(arguments: pairs)
    func gbkAndUTF8CopiesGiveTheSameText(utf8Name: String, gbkName: String) throws {
        let u = VisibleText.extract(DecodedPage(bytes: try fixture(utf8Name)))
        let g = VisibleText.extract(DecodedPage(bytes: try fixture(gbkName)))
        #expect(u.map(\.location) == g.map(\.location))
        #expect(u.map(\.location) == [.body, .title, .metaDescription, .metaKeywords, .imageAlt, .titleAttribute])
        for (a, b) in zip(u, g) {
            #expect(a.string == b.string, "\(a.location)")
        }
        #expect(text(run(u, .body)).count > 1000)
    }

    @Test(arguments: ["med66.com.html", "med66.com.gbk.html"])
    func med66PromisesAreInTheBody(name: String) throws {
        let body = text(run(VisibleText.extract(DecodedPage(bytes: try fixture(name))), .body))
        #expect(body.contains("报名不过 全额退费"))
        #expect(body.contains("当期考试不过，下期免费重学"))
        #expect(!body.contains("function"))  // no script
        #expect(!body.contains("<div"))
    }

    @Test(arguments: ["zikao365.com.html", "zikao365.com.gbk.html"])
    func zikaoExemptionLinksAreInTheBody(name: String) throws {
        let rs = VisibleText.extract(DecodedPage(bytes: try fixture(name)))
        let body = text(run(rs, .body))
        #expect(body.contains("转考免考"))
        #expect(body.contains("免考课程管理办法"))
        #expect(text(run(rs, .title)) == "自考365——中国专业的自考辅导网站!")
    }

    @Test(arguments: ["med66.com.html", "med66.com.gbk.html", "zikao365.com.html", "zikao365.com.gbk.html"])
    func everyScalarMapsBackToItsBytes(name: String) throws {
        let bytes = try fixture(name)
        let page = DecodedPage(bytes: bytes)
        let rs = VisibleText.extract(page)
        #expect(checkInvariants(rs, pageSize: bytes.count) == nil)
        var checked = 0, references = 0
        for r in rs {
            for i in 0..<r.count {
                let scalar = r.scalars[i]
                let slice = bytes[Int(r.byteStarts[i])..<Int(r.byteEnds[i])]
                if scalar == TextRun.blockBreak {
                    #expect(slice.isEmpty)
                    continue
                }
                // The tab between two cells of a table row is the extractor's too (no bytes of its own).
                if scalar == "\t", slice.isEmpty { continue }
                let raw = Charset.decode(slice, charset: page.decision.chosen)
                if slice.first == UInt8(ascii: "&"), raw.count > 1 {
                    // A character reference: decoding the reference text alone gives the scalar.
                    let mini = DecodedPage(bytes: Array(slice), contentType: "text/html; charset=\(page.decision.chosen)")
                    #expect(VisibleText.extract(mini).first?.scalars == [scalar], "\(raw)")
                    references += 1
                } else if scalar == " " {
                    #expect(raw.unicodeScalars.count == 1 && raw.unicodeScalars.first!.properties.isWhitespace)
                } else {
                    #expect(raw == String(scalar), "scalar \(i) of \(r.location): \(raw) vs \(scalar)")
                }
                checked += 1
            }
        }
        #expect(checked > 5000)
        #expect(references > 0)
    }
}
