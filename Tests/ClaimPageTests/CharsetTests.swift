import ClaimPage
import ClaimText
import Foundation
import Testing

@Suite("Charset decision")
struct CharsetTests {
    @Test func labelsMapAsBrowsersDo() {
        for label in ["gb2312", "GBK", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58", " gb18030 ", "\"gbk\""] {
            #expect(CharsetLabel.canonicalName(for: label) == "GB18030", "\(label)")
        }
        #expect(CharsetLabel.canonicalName(for: "utf8") == "UTF-8")
        #expect(CharsetLabel.canonicalName(for: "UTF-8") == "UTF-8")
        for label in ["iso-8859-1", "latin1", "us-ascii", "ISO_8859-1"] {
            #expect(CharsetLabel.canonicalName(for: label) == "windows-1252", "\(label)")
        }
        for label in ["big5", "big5-hkscs", "cn-big5", "x-x-big5"] {
            #expect(CharsetLabel.canonicalName(for: label) == "Big5", "\(label)")
        }
        #expect(CharsetLabel.canonicalName(for: "x-bogus") == nil)
        #expect(CharsetLabel.canonicalName(for: "") == nil)
    }

    @Test func contentTypeParameter() {
        #expect(CharsetSniffer.charsetParameter(inContentType: "text/html; charset=GBK") == "GBK")
        #expect(CharsetSniffer.charsetParameter(inContentType: "text/html;charset=\"utf-8\"") == "utf-8")
        #expect(CharsetSniffer.charsetParameter(inContentType: "text/html; Charset = gb2312 ; x=y") == "gb2312")
        #expect(CharsetSniffer.charsetParameter(inContentType: "text/html") == nil)
    }

    @Test func metaPrescan() {
        #expect(CharsetSniffer.metaCharsetLabels(utf8("<html><head><meta charset=\"gbk\">")) == ["gbk"])
        #expect(CharsetSniffer.metaCharsetLabels(utf8("<META CHARSET=GB2312>")) == ["gb2312"])
        #expect(CharsetSniffer.metaCharsetLabels(utf8(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />")) == ["gb2312"])
        // content= without http-equiv does not declare anything.
        #expect(CharsetSniffer.metaCharsetLabels(utf8("<meta content=\"text/html; charset=gb2312\">")).isEmpty)
        // Comments and other tags' attribute values are skipped.
        #expect(CharsetSniffer.metaCharsetLabels(utf8(
            "<!-- <meta charset=\"big5\"> --><div title='<meta charset=big5>'><meta charset=utf-8>")) == ["utf-8"])
        // Only the first 4096 bytes count.
        let late = String(repeating: " ", count: 5000) + "<meta charset=gbk>"
        #expect(CharsetSniffer.metaCharsetLabels(utf8(late)).isEmpty)
    }

    @Test func realGBKPagesDecodeCleanlyAsGB18030() throws {
        for name in ["med66.com.gbk.html", "zikao365.com.gbk.html"] {
            let page = DecodedPage(bytes: try fixture(name))
            #expect(page.decision.chosen == "GB18030", "\(name)")
            #expect(page.decision.meta == "gb2312", "\(name)")
            #expect(page.decision.undecodableBytes == 0, "\(name)")
            #expect(page.string.contains("医学教育网") || page.string.contains("自考"), "\(name)")
        }
    }

    @Test func utf8CopyDeclaringGB2312IsReadAsUTF8() throws {
        let page = DecodedPage(bytes: try fixture("med66.com.html"))
        #expect(page.decision.chosen == "UTF-8")
        #expect(page.decision.meta == "gb2312")
        #expect(page.decision.undecodableBytes == 0)
        #expect(page.decision.reason.contains("valid UTF-8"))
    }

    @Test func headerOnly() throws {
        let gbk = replacing(try fixture("med66.com.gbk.html"), "<meta charset=\"gb2312\" />", "")
        let page = DecodedPage(bytes: gbk, contentType: "text/html; charset=GBK")
        #expect(page.decision.meta == nil)
        #expect(page.decision.header == "GBK")
        #expect(page.decision.chosen == "GB18030")
        #expect(page.decision.undecodableBytes == 0)
        #expect(page.decision.reason.contains("header"))

        let small = DecodedPage(bytes: utf8("<p>") + gbkBaoGuo, contentType: "text/html; charset=gb2312")
        #expect(small.decision.chosen == "GB18030")
        #expect(small.string == "<p>包过")
    }

    @Test func metaOnly() {
        let page = DecodedPage(bytes: utf8("<meta charset=gbk><p>") + gbkBaoGuo)
        #expect(page.decision.chosen == "GB18030")
        #expect(page.decision.meta == "gbk")
        #expect(page.decision.header == nil)
        #expect(page.string.hasSuffix("包过"))
    }

    @Test func neitherDeclared() throws {
        let gbk = replacing(try fixture("med66.com.gbk.html"), "<meta charset=\"gb2312\" />", "")
        let g = DecodedPage(bytes: gbk)
        #expect(g.decision.chosen == "GB18030")
        #expect(g.decision.undecodableBytes == 0)
        #expect(g.decision.detected != nil)
        #expect(g.string.contains("当期考试不过，下期免费重学"))

        // A few GBK bytes: not valid UTF-8, so the detector or the GB18030 default.
        let tiny = DecodedPage(bytes: utf8("<p>") + gbkBaoGuo + utf8("</p>"))
        #expect(tiny.decision.chosen == "GB18030")
        #expect(tiny.string == "<p>包过</p>")

        let u = DecodedPage(bytes: replacing(try fixture("med66.com.html"), "<meta charset=\"gb2312\" />", ""))
        #expect(u.decision.chosen == "UTF-8")
        #expect(u.decision.reason.contains("valid UTF-8"))
        #expect(DecodedPage(bytes: utf8("<p>包过</p>")).decision.chosen == "UTF-8")
        #expect(DecodedPage(bytes: utf8("plain ascii")).decision.chosen == "UTF-8")
    }

    @Test func headerAndMetaDisagreeMetaIsClean() throws {
        // GBK bytes, meta gb2312, header says utf-8: GB18030 wins.
        let page = DecodedPage(bytes: try fixture("med66.com.gbk.html"), contentType: "text/html; charset=utf-8")
        #expect(page.decision.chosen == "GB18030")
        #expect(page.decision.header == "utf-8")
        #expect(page.decision.meta == "gb2312")
        #expect(page.decision.undecodableBytes == 0)
        #expect(page.decision.reason.contains("disagree"))
    }

    @Test func headerAndMetaDisagreeHeaderIsClean() throws {
        // UTF-8 bytes, meta gb2312, header utf-8: UTF-8 wins.
        let page = DecodedPage(bytes: try fixture("med66.com.html"), contentType: "text/html; charset=utf-8")
        #expect(page.decision.chosen == "UTF-8")
        #expect(page.decision.reason.contains("disagree"))
        #expect(page.decision.undecodableBytes == 0)

        // UTF-8 bytes, meta utf-8, header gbk: meta's UTF-8 wins.
        let bytes = replacing(try fixture("med66.com.html"), "charset=\"gb2312\"", "charset=\"utf-8\"")
        let p2 = DecodedPage(bytes: bytes, contentType: "text/html; charset=gbk")
        #expect(p2.decision.chosen == "UTF-8")
        #expect(p2.decision.header == "gbk")
        #expect(p2.decision.meta == "utf-8")
        #expect(p2.decision.reason.contains("disagree (header gbk, meta utf-8)"))
    }

    @Test func disagreementTieGoesToHeader() {
        // Pure ASCII decodes cleanly both ways.
        let page = DecodedPage(bytes: utf8("<meta charset=gbk><p>hello</p>"), contentType: "text/html; charset=utf-8")
        #expect(page.decision.chosen == "UTF-8")
        #expect(page.decision.reason.contains("header wins"))
    }

    @Test func latin1HeaderDoesNotHideGBKOrUTF8() throws {
        // A server default of ISO-8859-1 with a gb2312 meta: windows-1252 decodes
        // anything, so the tie is no evidence and the meta wins.
        let gbk = try fixture("med66.com.gbk.html")
        let p1 = DecodedPage(bytes: gbk, contentType: "text/html; charset=iso-8859-1")
        #expect(p1.decision.chosen == "GB18030")
        #expect(p1.decision.reason.contains("accepts any bytes"))
        // Header only, GBK bytes: the detector is consulted.
        let noMeta = replacing(gbk, "<meta charset=\"gb2312\" />", "")
        let p2 = DecodedPage(bytes: noMeta, contentType: "text/html; charset=latin1")
        #expect(p2.decision.chosen == "GB18030")
        #expect(p2.decision.detected == "GB18030")
        // Header only, UTF-8 bytes.
        let p3 = DecodedPage(bytes: utf8("<p>考试包过</p>"), contentType: "text/html; charset=iso-8859-1")
        #expect(p3.decision.chosen == "UTF-8")
        // Genuine Latin-1 stays windows-1252.
        let p4 = DecodedPage(bytes: utf8("<p>caf") + [0xE9] + utf8(" cr") + [0xE8, 0x6D, 0x65] + utf8("</p>"),
                             contentType: "text/html; charset=iso-8859-1")
        #expect(p4.decision.chosen == "windows-1252")
        #expect(p4.string == "<p>café crème</p>")
    }

    @Test func declaredUTF8ButGBKBytes() throws {
        let gbk = replacing(try fixture("med66.com.gbk.html"), "gb2312", "utf-8")
        let page = DecodedPage(bytes: gbk)
        #expect(page.decision.meta == "utf-8")
        #expect(page.decision.chosen == "GB18030")
        #expect(page.decision.undecodableBytes == 0)
        #expect(page.decision.reason.contains("GB18030"))
    }

    @Test func bomOverridesEverything() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + utf8("<meta charset=gbk><p>包过</p>")
        let page = DecodedPage(bytes: bytes, contentType: "text/html; charset=gbk")
        #expect(page.decision.chosen == "UTF-8")
        #expect(page.decision.bom == "UTF-8")
        #expect(page.decision.reason.contains("overrides"))
        #expect(page.byteStarts.first == 3)
        #expect(page.string == "<meta charset=gbk><p>包过</p>")

        // UTF-16LE with a BOM: 包 U+5305, 过 U+8FC7.
        let le: [UInt8] = [0xFF, 0xFE, 0x05, 0x53, 0xC7, 0x8F]
        let p16 = DecodedPage(bytes: le, contentType: "text/plain; charset=gbk")
        #expect(p16.decision.chosen == "UTF-16LE")
        #expect(p16.string == "包过")
        #expect(p16.byteStarts == [2, 4])
        #expect(p16.byteEnds == [4, 6])

        let be: [UInt8] = [0xFE, 0xFF, 0x53, 0x05, 0x8F, 0xC7]
        #expect(DecodedPage(bytes: be).string == "包过")
    }

    @Test func unknownLabelsAreIgnoredAndRecorded() {
        let page = DecodedPage(bytes: utf8("<meta charset=x-bogus><meta charset=gbk><p>") + gbkBaoGuo,
                               contentType: "text/html; charset=klingon")
        #expect(page.decision.chosen == "GB18030")
        #expect(page.decision.meta == "gbk")
        #expect(page.decision.ignoredLabels == ["header: klingon", "meta: x-bogus"])
        #expect(page.decision.header == "klingon")
    }

    @Test func latin1LabelMeansWindows1252() {
        let page = DecodedPage(bytes: [0x3C, 0x70, 0x3E, 0x80, 0xE9], contentType: "text/html; charset=iso-8859-1")
        #expect(page.decision.chosen == "windows-1252")
        #expect(page.string == "<p>€é")
    }

    @Test func gb18030FourByteSequenceIsOneScalar() {
        // 😀 U+1F600 = 0x9439FC36 in GB18030 (4 bytes, a surrogate pair in UTF-16).
        let bytes: [UInt8] = [0x41, 0x94, 0x39, 0xFC, 0x36, 0x42]
        let page = DecodedPage(bytes: bytes, charset: "gb18030")!
        #expect(page.scalars.count == 3)
        #expect(page.byteStarts == [0, 1, 5])
        #expect(page.byteEnds == [1, 5, 6])
        #expect(page.scalars[1].value == 0x1F600)
    }

    @Test func undecodableBytesAreCounted() {
        let page = DecodedPage(bytes: [0x61, 0xFF, 0x62], charset: "utf-8")!
        #expect(page.decision.undecodableBytes == 1)
        #expect(page.string == "a\u{FFFD}b")
        #expect(page.byteStarts == [0, 1, 2])
        #expect(page.byteEnds == [1, 2, 3])
    }

    @Test func decodeSliceForPrinting() {
        let bytes = utf8("<b>") + gbkBaoGuo + utf8("</b>")
        #expect(Charset.decode(bytes[3..<7], charset: "gbk") == "包过")
        let page = DecodedPage(bytes: bytes, contentType: "text/html; charset=gbk")
        #expect(page.text(bytes: 3..<5) == "包")
    }

    @Test func decisionIsCodable() throws {
        let d = DecodedPage(bytes: utf8("<p>x</p>"), contentType: "text/html; charset=utf-8").decision
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(CharsetDecision.self, from: data) == d)
    }
}

