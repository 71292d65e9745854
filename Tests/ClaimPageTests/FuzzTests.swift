import ClaimPage
import ClaimText
import Testing
import TestSupport



@Suite("Fuzz")
struct FuzzTests {
    static let contentTypes: [String?] = [
        nil, "text/html; charset=utf-8", "text/html; charset=gbk", "text/html; charset=big5",
        "text/html; charset=iso-8859-1", "text/html; charset=utf-16le", "text/html; charset=bogus",
    ]

    static let fragments: [String] = [
        "<p>", "</p>", "<div class=\"a\">", "</div>", "<span>", "</span>", "<br>", "<br/>", "<b", ">", "<",
        "</", "<!--", "-->", "--!>", "<!-->", "<!DOCTYPE html>", "<?php", "?>", "<![CDATA[", "]]>",
        "<script>", "</script>", "<style>", "</style>", "<template>", "</template>", "<svg>", "</svg>",
        "<math>", "<title>", "</title>", "<textarea>", "</textarea>", "<pre>", "</pre>", "<xmp>", "<plaintext>",
        "<noscript>", "<img alt=\"", "<img alt=", "\"", "'", "=", " title='", "<meta name=description content=\"",
        "<meta charset=gbk>", "<meta charset=\"utf-8\">", "&", "&#", "&#x", "&#21253;", "&#x8FC7;", "&amp;",
        "&nbsp", "&copy", "&notit;", ";", "#", "包", "过", "保证", "拿证", " ", "\n", "\r\n", "\t", "\u{0}",
        "\u{FFFD}", "\u{A0}", "😀", "a", "Z", "9", "/", "<a href=x title=", "<IMG ALT=", "</SCRIPT >", "<tr><td>",
    ]

    func check(_ bytes: [UInt8], contentType: String?) -> String? {
        let page = DecodedPage(bytes: bytes, contentType: contentType)
        let starts = page.byteStarts, ends = page.byteEnds   // (copies: read once)
        if page.scalars.count != starts.count || page.scalars.count != ends.count {
            return "page array lengths"
        }
        var previous = 0
        for i in 0..<page.scalars.count {
            let a = Int(starts[i]), b = Int(ends[i])
            if a < previous || a > b || b > bytes.count || a < 0 { return "page range \(a)..<\(b) at \(i)" }
            previous = a
        }
        if let problem = checkInvariants(VisibleText.extract(page), pageSize: bytes.count) { return problem }
        if let problem = checkInvariants([VisibleText.plainText(page)], pageSize: bytes.count) { return problem }
        return nil
    }

    @Test func randomBytes() {
        var rng = SplitMix64(state: 20_221_101)
        for iteration in 0..<3000 {
            let length = Int.random(in: 0...400, using: &rng)
            var bytes = [UInt8](repeating: 0, count: length)
            // Bias towards markup characters now and then.
            let markupHeavy = Bool.random(using: &rng)
            for k in 0..<length {
                if markupHeavy, Int.random(in: 0..<3, using: &rng) == 0 {
                    bytes[k] = Array("<>&;#/!-=\"' ".utf8).randomElement(using: &rng)!
                } else {
                    bytes[k] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            let contentType = Self.contentTypes.randomElement(using: &rng)!
            let problem = check(bytes, contentType: contentType)
            #expect(problem == nil, "iteration \(iteration): \(problem ?? "")")
            if problem != nil { return }
        }
    }

    @Test func randomTagSoup() {
        var rng = SplitMix64(state: 42)
        for iteration in 0..<3000 {
            var html = ""
            for _ in 0..<Int.random(in: 0...120, using: &rng) {
                html += Self.fragments.randomElement(using: &rng)!
            }
            var bytes = Array(html.utf8)
            // Occasionally cut a multi-byte character or flip a byte.
            if !bytes.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 {
                bytes.removeLast(Int.random(in: 0...min(2, bytes.count), using: &rng))
            }
            if !bytes.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0x80...0xFF, using: &rng)
            }
            let contentType = Self.contentTypes.randomElement(using: &rng)!
            let problem = check(bytes, contentType: contentType)
            #expect(problem == nil, "iteration \(iteration): \(problem ?? "") in \(html)")
            if problem != nil { return }
        }
    }

    @Test func randomGBKBytesWithMarkup() {
        var rng = SplitMix64(state: 7)
        for iteration in 0..<1000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...200, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes += Array(Self.fragments.randomElement(using: &rng)!.utf8)
                case 1: bytes += [UInt8.random(in: 0x81...0xFE, using: &rng), UInt8.random(in: 0x40...0xFE, using: &rng)]
                case 2: bytes += gbkBaoGuo
                default: bytes.append(UInt8.random(in: 0...255, using: &rng))
                }
            }
            let problem = check(bytes, contentType: Bool.random(using: &rng) ? "text/html; charset=gb2312" : nil)
            #expect(problem == nil, "iteration \(iteration): \(problem ?? "")")
            if problem != nil { return }
        }
    }

    /// Inputs that would take quadratic time in a careless tokenizer.
    @Test func pathologicalInputsFinish() {
        var manyAttributes = "<a"
        for k in 0..<100_000 { manyAttributes += " a\(k)=\(k)" }
        manyAttributes += " title=包过>x</a>"
        let rs = runs(manyAttributes)
        #expect(text(run(rs, .titleAttribute)) == "包过")
        let cases = [
            String(repeating: "<", count: 200_000),
            String(repeating: "<!--", count: 100_000),
            String(repeating: "<script>", count: 50_000),
            String(repeating: "&#", count: 100_000),
            String(repeating: "&amp", count: 100_000),
            String(repeating: "<p title=\"", count: 50_000),
            String(repeating: "</", count: 100_000),
            String(repeating: "<svg><![CDATA[", count: 50_000),
        ]
        for html in cases {
            #expect(checkInvariants(runs(html), pageSize: html.utf8.count) == nil)
        }
    }
}
