@testable import ClaimPage
import ClaimText
import Testing

@Suite("Visible text")
struct VisibleTextTests {
    @Test func inlineElementsDoNotSplitText() throws {
        let html = "<p>包<span>过</span></p>"
        let bytes = utf8(html)
        let body = try #require(run(runs(html), .body))
        #expect(body.string == "包过")
        #expect(body.byteStarts == [3, 12])
        #expect(body.byteEnds == [6, 15])
        // Slicing from the start of 包 to the end of 过 gives the raw markup.
        let slice = bytes[Int(body.byteStarts[0])..<Int(body.byteEnds[1])]
        #expect(String(decoding: slice, as: UTF8.self) == "包<span>过")
        #expect(bodyText("<b>包</b><i>过</i><font color=red>班</font><a href=x>!</a><madeup>?</madeup>") == "包过班!?")
    }

    @Test func blockElementsInsertBreaks() throws {
        let html = "<p>包</p><p>过</p>"
        let body = try #require(run(runs(html), .body))
        #expect(body.string == "包\u{2029}过")
        // The break sits at the tag's byte offset, with an empty range.
        #expect(body.byteStarts[1] == 6)
        #expect(body.byteEnds[1] == 6)
        #expect(bodyText("包<br>过") == "包|过")
        #expect(bodyText("<div>a</div><div>b</div>") == "a|b")
        // A table's rows are block-broken lines whose cells are separated by a tab (empty cells,
        // and the whitespace around a cell's text, leave one tab).
        #expect(bodyText("<table><tr><td>a</td><td>b</td></tr></table>") == "a\tb")
        #expect(bodyText("<table><tr><th> a </th><td></td><td>\n b</td></tr><tr><td>c</td><td>d </td></tr></table>e") == "a\tb|c\td|e")
        #expect(bodyText("<ul><li>a<li>b</ul>c") == "a|b|c")
        #expect(bodyText("<H1>a</H1>b") == "a|b")
        // Paragraphs inside a cell are separated by `;`, not by a block: the row stays one line,
        // also with omitted end tags; a cell holding a table of its own keeps its blocks.
        #expect(bodyText("<table><tr><td><p>a</p><p>b</p></td><td><div>c<br>d</div></td></tr></table>e") == "a;b\tc;d|e")
        #expect(bodyText("<table><tr><td><p>a</p><td><p>b</p><tr><td>c</table><p>d</p>") == "a\tb|c|d")
        #expect(bodyText("<table><tr><td><table><tr><td>x</td></tr></table><p>a</p><p>b</p></td></tr></table>") == "x|a|b")
    }

    @Test func whitespaceCollapses() throws {
        let html = "<p>  包 \n\t 过  </p>\n\n<p>\n 班</p>"
        let body = try #require(run(runs(html), .body))
        #expect(body.string == "包 过\u{2029}班")
        // The collapsed space keeps the byte range of the first whitespace character.
        #expect(body.byteStarts[1] == 8)
        #expect(body.byteEnds[1] == 9)
        #expect(bodyText("a <b> b </b> c") == "a b c")
        #expect(bodyText("a&nbsp;&nbsp;b") == "a\u{A0}\u{A0}b")
        #expect(bodyText("a\u{A0}b") == "a\u{A0}b")
    }

    @Test func preAndTextareaKeepNewlines() {
        #expect(bodyText("<pre>\na  b\nc</pre>d") == "a  b\nc|d")
        #expect(bodyText("x<textarea>\n包\n过 <b>x</b></textarea>y") == "x|包\n过 <b>x</b>|y")
        #expect(bodyText("<pre>a\r\nb</pre>") == "a\nb")
    }

    @Test func numericCharacterReferences() throws {
        let html = "<p>&#21253;&#36807;</p>"
        let body = try #require(run(runs(html), .body))
        #expect(body.string == "包过")
        // Each reference is one scalar covering the whole reference (8 bytes: &#21253;).
        #expect(body.byteStarts == [3, 11])
        #expect(body.byteEnds == [11, 19])
        #expect(bodyText("&#x5305;&#X8FC7;") == "包过")
        #expect(bodyText("&#x5305&#36807") == "包过")  // no semicolon: still decoded, as browsers do
        #expect(bodyText("&#0;&#x110000;&#xD800;") == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(bodyText("&#150;") == "\u{2013}")  // windows-1252 remap
    }

    @Test func namedCharacterReferences() {
        #expect(bodyText("&lt;b&gt; &amp; &quot;x&quot; &apos;y&apos;") == "<b> & \"x\" 'y'")
        #expect(bodyText("包&middot;过 包&bull;过 包&hellip;过") == "包·过 包•过 包…过")
        #expect(bodyText("&mdash;&ndash;&ldquo;&rdquo;&lsquo;&rsquo;&laquo;&raquo;") == "—–“”‘’«»")
        #expect(bodyText("&times;&divide;&copy;&reg;&trade;&deg;&plusmn;&yen;&euro;") == "×÷©®™°±¥€")
        #expect(bodyText("包&zwj;过&zwnj;&lrm;&rlm;&shy;") == "包\u{200D}过\u{200C}\u{200E}\u{200F}\u{AD}")
        #expect(bodyText("a&emsp;b&ensp;c&thinsp;d") == "a\u{2003}b\u{2002}c\u{2009}d")
        // Legacy forms without a semicolon.
        #expect(bodyText("a&nbspb &amp x &lt &gt &copy 2018") == "a\u{A0}b & x < > © 2018")
        #expect(bodyText("&notit;") == "¬it;")
    }

    @Test func namedReferenceCoversItsBytes() throws {
        let html = "包&nbsp;过"
        let body = try #require(run(runs(html), .body))
        #expect(body.string == "包\u{A0}过")
        #expect(body.byteStarts == [0, 3, 9])
        #expect(body.byteEnds == [3, 9, 12])
    }

    @Test func invalidReferencesStayLiteral() {
        #expect(bodyText("&bogus; &; & &# &#x; AT&T") == "&bogus; &; & &# &#x; AT&T")
    }

    @Test func referencesInAttributes() throws {
        let rs = runs("<img alt=\"&#21253;&#x8FC7;&amp;\"><a title='&#20445;&#35777;&nbsp;拿证'>x</a>")
        #expect(text(run(rs, .imageAlt)) == "包过&")
        #expect(text(run(rs, .titleAttribute)) == "保证\u{A0}拿证")
        let alt = try #require(run(rs, .imageAlt))
        #expect(alt.byteStarts[0] == 10)
        #expect(alt.byteEnds[0] == 18)
        // In attributes, a legacy reference followed by = or a letter is not decoded.
        #expect(text(run(runs("<a title='?a=1&copy=2&lt3'>x</a>"), .titleAttribute)) == "?a=1&copy=2&lt3")
    }

    @Test func invisibleContentIsSkipped() {
        let html = """
        <!DOCTYPE html><?xml version="1.0"?><html><head>
        <script>var s = "包过";</script><style>.x{content:"保过"}</style>
        </head><body>
        a<!-- 包过 -->b<template><p>包过</p></template>c<![CDATA[包过]]>d
        <script type="text/template"><p>包过</p></SCRIPT >e
        </body></html>
        """
        #expect(bodyText(html) == "abcd e")  // <![CDATA[ in HTML is a bogus comment up to the first >
        #expect(bodyText("包<!-- -->过") == "包过")
        #expect(bodyText("包<!-->过") == "包过")
        #expect(bodyText("包<!--->过") == "包过")
        #expect(bodyText("包<!-- x --!>过") == "包过")
        #expect(bodyText("包过<!-- unclosed comment runs to the end <p>保过</p>") == "包过")
        #expect(bodyText("a<script>包过") == "a")
        #expect(bodyText("a<iframe>包过</iframe>b") == "ab")
    }

    @Test func noscriptIsKept() {
        #expect(bodyText("<noscript>考试<b>包过</b></noscript>") == "考试包过")
    }

    @Test func svgTextIsVisibleAndCDATAInsideIsText() {
        let rs = runs("<title>页面</title><svg><title>提示</title><text>包过</text><text><![CDATA[保过]]></text></svg>x")
        #expect(text(run(rs, .title)) == "页面")
        let body = text(run(rs, .body))
        #expect(body.contains("包过"))
        #expect(body.contains("保过"))
        #expect(body.hasSuffix("x"))
    }

    @Test func locationsHaveTheirOwnRuns() throws {
        let html = """
        <html><head><title> 考试 包过 </title>
        <meta name="Description" content="保证拿证">
        <META NAME=keywords CONTENT="包过,拿证">
        <meta name="author" content="ignored">
        </head><body><img src=a.png alt="包过班"><img alt='100%通过'>
        <a href="#" title="零基础包拿证">报名</a><img alt="">
        </body></html>
        """
        let rs = runs(html)
        #expect(rs.map(\.location) == [.body, .title, .metaDescription, .metaKeywords, .imageAlt, .titleAttribute])
        #expect(text(run(rs, .title)) == "考试 包过")
        #expect(text(run(rs, .metaDescription)) == "保证拿证")
        #expect(text(run(rs, .metaKeywords)) == "包过,拿证")
        #expect(text(run(rs, .imageAlt)) == "包过班|100%通过")
        #expect(text(run(rs, .titleAttribute)) == "零基础包拿证")
        #expect(text(run(rs, .body)) == "报名")
        #expect(checkInvariants(rs, pageSize: utf8(html).count) == nil)
        // Offsets of the title point into the title element.
        let title = try #require(run(rs, .title))
        let bytes = utf8(html)
        #expect(String(decoding: bytes[Int(title.byteStarts[0])..<Int(title.byteEnds[title.count - 1])], as: UTF8.self) == "考试 包过")
    }

    @Test func tagAndAttributeNamesAreCaseInsensitive() {
        let rs = runs("<IMG ALT='包过'><DiV TiTlE=保过>x</dIv><SCRIPT>y</script>z")
        #expect(text(run(rs, .imageAlt)) == "包过")
        #expect(text(run(rs, .titleAttribute)) == "保过")
        #expect(text(run(rs, .body)) == "x|z")
    }

    @Test func malformedMarkup() {
        #expect(bodyText("a < b and <3 and 1<2") == "a < b and <3 and 1<2")
        #expect(bodyText("x </ y> z") == "x z")  // </ + non-letter: a bogus comment, as in browsers
        #expect(bodyText("a<") == "a<")
        #expect(bodyText("a</") == "a</")
        #expect(bodyText("a</>b") == "ab")
        #expect(bodyText("a</3 junk>b") == "ab")
        // Unquoted and oddly quoted attributes.
        #expect(text(run(runs("<img alt=包过 src=x><b title=a'b>t</b>"), .imageAlt)) == "包过")
        #expect(text(run(runs("<b title=a'b>t</b>"), .titleAttribute)) == "a'b")
        #expect(bodyText("<p class=\"x'>包过</p>\">保过") == "保过")
        // A tag that never ends swallows the rest, as in a browser.
        #expect(bodyText("包过<img src=\"x.png") == "包过")
        #expect(bodyText("包过<div class=x") == "包过")
        // Unclosed elements.
        #expect(bodyText("<div><p>包<b>过") == "包过")
        // NUL and junk.
        #expect(bodyText("包\u{0}过\u{FFFD}") == "包过\u{FFFD}")
        // Very long attribute.
        let long = String(repeating: "包", count: 100_000)
        #expect(text(run(runs("<a title=\"\(long)\">x</a>"), .titleAttribute)).count == 100_000)
        // Attribute names with junk.
        #expect(bodyText("<div \"a\"=b ='c' <x>t</div>") == "t")
    }

    @Test func plainTextKeepsEverything() {
        let page = DecodedPage(bytes: utf8("包过\n<b>保过</b>  x"), contentType: "text/plain; charset=utf-8")
        let r = VisibleText.plainText(page)
        #expect(r.location == .text)
        #expect(r.string == "包过\n<b>保过</b>  x")
        #expect(r.byteStarts[1] == 3)
        #expect(r.byteEnds[1] == 6)
    }

    @Test func gbkSpanOffsets() throws {
        // 包<span>过</span> in GBK: 包 at 0..<2, 过 at 8..<10.
        let bytes = gbkBaoGuo[0..<2] + utf8("<span>") + gbkBaoGuo[2..<4] + utf8("</span>")
        let page = DecodedPage(bytes: Array(bytes), contentType: "text/html; charset=gbk")
        let body = try #require(run(VisibleText.extract(page), .body))
        #expect(body.string == "包过")
        #expect(body.byteStarts == [0, 8])
        #expect(body.byteEnds == [2, 10])
        #expect(page.text(bytes: Int(body.byteStarts[0])..<Int(body.byteEnds[1])) == "包<span>过")
    }
}

/// The packed tag names the scanner compares against.
@Suite struct TagNameTests {
    @Test func blockElementSwitchAgreesWithTheList() {
        for name in TagName.blockElements { #expect(name.isBlockElement, "\(String(String.UnicodeScalarView(name.scalars)))") }
        for other in ["span", "a", "b", "em", "img", "strong", "font", "blockquotes", "h7", "divx", "tablet", "plaintex"] {
            var t = TagName()
            for (k, c) in other.unicodeScalars.enumerated() { t.set(k, c) }
            #expect(!t.isBlockElement, "\(other)")
        }
    }

    @Test func namesAreLowerCasedAndNonASCIIIsUnknown() {
        var upper = TagName()
        for (k, c) in "DIV".unicodeScalars.enumerated() { upper.set(k, c) }
        #expect(upper == TagName("div") && upper.isBlockElement)
        var odd = TagName()
        for (k, c) in "p中".unicodeScalars.enumerated() { odd.set(k, c) }
        #expect(odd == .unknown && !odd.isBlockElement)
        var nul = TagName()
        for (k, c) in "p\u{0}".unicodeScalars.enumerated() { nul.set(k, c) }
        #expect(nul == .unknown)
        #expect(String(String.UnicodeScalarView(TagName("textarea").scalars)) == "textarea")
        let literals: [(TagName, StaticString)] = [
            (.script, "script"), (.style, "style"), (.iframe, "iframe"), (.noembed, "noembed"), (.noframes, "noframes"),
            (.xmp, "xmp"), (.plaintext, "plaintext"), (.title, "title"), (.textarea, "textarea"), (.template, "template"),
            (.svg, "svg"), (.math, "math"), (.pre, "pre"), (.listing, "listing"), (.meta, "meta"), (.img, "img"),
            (.alt, "alt"), (.name, "name"), (.content, "content"),
        ]
        for (literal, name) in literals { #expect(literal == TagName(name), "\(name)") }
    }
}
