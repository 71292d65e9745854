import ClaimText

/// Visible-text extraction from a decoded page, keeping every scalar's raw
/// byte range.
///
/// A hand-written tolerant tokenizer (libxml2's headers clash with
/// Foundation). It follows the browser tokenizer where it matters for what a
/// reader sees:
/// - `<script>`, `<style>`, `<iframe>`, `<noembed>`, `<noframes>` content,
///   `<template>` content, comments (also `<!-->` and an unclosed comment,
///   which runs to the end), `<!DOCTYPE>`, `<?…>` and, outside SVG/MathML,
///   `<![CDATA[…>` (a bogus comment up to the first `>`) are skipped.
/// - `<noscript>` content is kept (search engines index it).
/// - SVG and MathML: their text is body text (SVG `<text>` is visible);
///   a `<title>` inside them is not the page title but ordinary text;
///   `<![CDATA[…]]>` inside them is text.
/// - `<title>` and `<textarea>` hold text only (tags inside are literal);
///   `<xmp>` and `<plaintext>` show their content literally.
/// - A tag or quoted attribute value that never ends swallows the rest of
///   the page, as in a browser.
/// - Inline elements (and unknown ones) do not split text; block and
///   line-breaking elements insert a block break (U+2029).
/// - ASCII whitespace collapses to one space (the first whitespace
///   character's bytes), except in `<pre>`, `<listing>`, `<textarea>`,
///   `<xmp>` and `<plaintext>`; whitespace after a block break and at the
///   end of a run is dropped; U+00A0 stays; NUL is dropped.
public enum VisibleText {
    /// The text runs of an HTML page: at most one run per location, in the
    /// order body, title, meta description, meta keywords, image alt, title
    /// attribute; empty runs are left out. Items inside a non-body run
    /// (two `<img alt>`s) are separated by block breaks.
    public static func extract(_ page: DecodedPage) -> [TextRun] {
        page.scalars.withUnsafeBufferPointer { s in
            page.withByteRanges { starts, ends in
                var scanner = HTMLScanner(s: s, starts: starts, ends: ends)
                scanner.scan()
                return scanner.runs()
            }
        }
    }

    /// Plain text (not HTML): one `.text` run with every decoded scalar,
    /// newlines as they are.
    public static func plainText(_ page: DecodedPage) -> TextRun {
        TextRun(location: .text, scalars: page.scalars, byteStarts: page.byteStarts, byteEnds: page.byteEnds)
    }
}

/// Accumulates one run's arrays in buffers it manages itself (one append per visible
/// character of every page: Array's per-append checks were a tenth of extraction).
/// ``run(_:)`` copies the result out; ``free()`` must be called once, at the end.
struct RunBuilder {
    private var scalarBuffer: UnsafeMutablePointer<Unicode.Scalar>
    private var startBuffer: UnsafeMutablePointer<Int32>
    private var endBuffer: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private(set) var count = 0
    /// Where the last paragraph mark of a table cell (``cellParagraphBreak(at:)``) stands, -1
    /// if none: a cell's or block's break takes it back, so a cell never ends with one. (Not
    /// a pending mark checked per character: `text` runs for every character of a page.)
    private var paragraphMark = -1

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 16)
        scalarBuffer = .allocate(capacity: self.capacity)
        startBuffer = .allocate(capacity: self.capacity)
        endBuffer = .allocate(capacity: self.capacity)
    }

    func free() {
        scalarBuffer.deallocate()
        startBuffer.deallocate()
        endBuffer.deallocate()
    }

    var isEmpty: Bool { count == 0 }
    var last: Unicode.Scalar? { count > 0 ? scalarBuffer[count - 1] : nil }

    private mutating func grow() {
        let newCapacity = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        scalarBuffer = moved(scalarBuffer)
        startBuffer = moved(startBuffer)
        endBuffer = moved(endBuffer)
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ c: Unicode.Scalar, _ start: Int32, _ end: Int32) {
        if count == capacity { grow() }
        (scalarBuffer + count).initialize(to: c)
        (startBuffer + count).initialize(to: start)
        (endBuffer + count).initialize(to: end)
        count += 1
    }

    /// Appends text, collapsing ASCII whitespace unless `preserve`.
    @inline(__always) mutating func text(_ c: Unicode.Scalar, _ start: Int32, _ end: Int32, preserve: Bool) {
        let v = c.value
        if v == 0 { return }
        if v == 0x20 || v == 0x0A || v == 0x09 || v == 0x0D || v == 0x0C {
            if preserve {
                append(v == 0x0D ? "\n" : c, start, end)
                return
            }
            guard let last, last != TextRun.blockBreak, last != " ", last != "\t" else { return }
            append(" ", start, end)
            return
        }
        append(c, start, end)
    }

    /// Takes back a paragraph mark that nothing followed (and the space after it).
    private mutating func dropParagraphMark() {
        guard paragraphMark >= 0 else { return }
        if last == " ", paragraphMark == count - 2 { removeLast() }
        if paragraphMark == count - 1 { removeLast() }
        paragraphMark = -1
    }

    /// Ends the current block: drops a trailing collapsed space and appends
    /// U+2029 (unless the run is empty or already ends with one).
    mutating func blockBreak(at offset: Int32) {
        dropParagraphMark()
        if last == " " || last == "\t" { removeLast() }
        guard let last, last != TextRun.blockBreak else { return }
        append(TextRun.blockBreak, offset, offset)
    }

    /// Separates two paragraphs (`<p>`, `<div>`, `<br>` …) inside one table cell with `;`, a
    /// sentence end that is no line end: the cell's row stays one line of the table (pages
    /// exported from word processors wrap every cell's text in a `<p>`). The character is
    /// zero-width in the raw bytes, like the tab between cells.
    mutating func cellParagraphBreak(at offset: Int32) {
        if paragraphMark >= 0 && paragraphMark >= count - 2 { return }   // one mark is enough
        if last == " " { removeLast() }
        guard let last, last != TextRun.blockBreak, last != "\t" else { return }
        append(";", offset, offset)
        paragraphMark = count - 1
    }

    /// Separates a table cell from the one before it in the same row with a tab, so that a
    /// table's rows stay lines whose cells are marked, as in a plain-text table (the matcher
    /// reads a warning in the header row or the caption as governing the rows below it). The
    /// first cell of a row follows the row's block break and adds nothing.
    mutating func cellBreak(at offset: Int32) {
        dropParagraphMark()
        if last == " " { removeLast() }
        guard let last, last != TextRun.blockBreak, last != "\t" else { return }
        append("\t", offset, offset)
    }

    mutating func removeLast() {
        count -= 1   // the elements are trivial: nothing to deinitialize
    }

    mutating func trimEnd() {
        dropParagraphMark()
        while let last, last == " " || last == "\t" || last == TextRun.blockBreak { removeLast() }
    }

    func run(_ location: TextLocation) -> TextRun {
        TextRun(location: location,
                scalars: Array(UnsafeBufferPointer(start: scalarBuffer, count: count)),
                byteStarts: Array(UnsafeBufferPointer(start: startBuffer, count: count)),
                byteEnds: Array(UnsafeBufferPointer(start: endBuffer, count: count)))
    }
}

/// The tokenizer state machine behind ``VisibleText/extract(_:)``.
struct HTMLScanner {
    let src: ScalarSource
    var s: UnsafeBufferPointer<Unicode.Scalar> { src.s }
    var starts: UnsafeBufferPointer<Int32> { src.starts }
    var ends: UnsafeBufferPointer<Int32> { src.ends }
    var n: Int { src.n }

    var body: RunBuilder
    var title = RunBuilder()
    var metaDescription = RunBuilder()
    var metaKeywords = RunBuilder()
    var imageAlt = RunBuilder()
    var titleAttribute = RunBuilder()

    /// Depth inside `<template>` (nothing is shown).
    var hiddenDepth = 0
    /// Depth inside `<svg>`/`<math>`.
    var foreignDepth = 0
    /// Depth inside `<pre>`/`<listing>` (whitespace kept).
    var preDepth = 0
    /// Open tables and cells, innermost last (``TableLevel``): inside a cell of the innermost
    /// table, block elements separate paragraphs of the cell, not lines of the page.
    var tableLevels: [TableLevel] = [] { didSet { inCell = tableLevels.last == .cell } }
    /// `tableLevels.last == .cell`, kept apart: read for every block element of a page.
    var inCell = false

    enum TableLevel { case table, cell, layoutCell }
    /// The index of a newline to drop (the first one right after `<pre>`).
    var skipNewlineAt = -1

    init(s: UnsafeBufferPointer<Unicode.Scalar>, starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) {
        self.src = ScalarSource(s: s, starts: starts, ends: ends, n: s.count)
        self.body = RunBuilder(capacity: s.count / 2)
    }

    /// The finished runs. Trims the builders in place (a copy would duplicate the body's arrays).
    mutating func runs() -> [TextRun] {
        var result: [TextRun] = []
        func finish(_ builder: inout RunBuilder, _ location: TextLocation) {
            builder.trimEnd()
            if !builder.isEmpty { result.append(builder.run(location)) }
            builder.free()
        }
        finish(&body, .body)
        finish(&title, .title)
        finish(&metaDescription, .metaDescription)
        finish(&metaKeywords, .metaKeywords)
        finish(&imageAlt, .imageAlt)
        finish(&titleAttribute, .titleAttribute)
        return result
    }

    // MARK: - Main loop

    mutating func scan() {
        var i = 0
        while i < n {
            let c = s[i].value
            if c == 0x3C {  // <
                i = markup(at: i)
            } else if c == 0x26, let (scalar, next) = src.characterReference(at: i, limit: n, inAttribute: false) {
                if hiddenDepth == 0 { body.text(scalar, starts[i], ends[next - 1], preserve: preDepth > 0) }
                i = next
            } else {
                if hiddenDepth == 0 {
                    if i == skipNewlineAt, c == 0x0A || c == 0x0D {
                        // dropped: the newline right after <pre> (both halves of a CRLF)
                        if c == 0x0D { skipNewlineAt = i + 1 }
                    } else if preDepth > 0, c == 0x0D, i + 1 < n, s[i + 1].value == 0x0A {
                        body.append("\n", starts[i], ends[i + 1])
                        i += 1
                    } else {
                        body.text(s[i], starts[i], ends[i], preserve: preDepth > 0)
                    }
                }
                i += 1
            }
        }
    }

    // MARK: - Markup

    /// Handles the markup starting with `<` at `i`; returns the index after it.
    mutating func markup(at i: Int) -> Int {
        guard i + 1 < n else { emitLiteral(i); return i + 1 }
        let c1 = s[i + 1].value
        if isLetter(c1) { return startTag(at: i) }
        if c1 == 0x2F {  // </
            guard i + 2 < n else { emitLiteral(i); emitLiteral(i + 1); return i + 2 }
            let c2 = s[i + 2].value
            if isLetter(c2) { return endTag(at: i) }
            if c2 == 0x3E { return i + 3 }  // </> is ignored
            return src.skipPast(0x3E, from: i + 2)  // bogus comment
        }
        if c1 == 0x21 {  // <!
            if src.matches(i + 2, "--") { return src.comment(at: i) }
            if foreignDepth > 0, src.matches(i + 2, "[CDATA[") {
                let contentStart = i + 9
                let close = src.find("]]>", from: contentStart) ?? n
                if hiddenDepth == 0 {
                    for k in contentStart..<close { body.text(s[k], starts[k], ends[k], preserve: false) }
                }
                return min(close + 3, n)
            }
            return src.skipPast(0x3E, from: i + 2)  // doctype, bogus comment, CDATA in HTML
        }
        if c1 == 0x3F { return src.skipPast(0x3E, from: i + 2) }  // <?…>
        emitLiteral(i)  // a < b, <3, < followed by anything else
        return i + 1
    }

    /// A block break in the body text (none inside `<template>`).
    mutating func breakBody(at offset: Int32) {
        if hiddenDepth == 0 { body.blockBreak(at: offset) }
    }

    mutating func breakCell(at offset: Int32) {
        if hiddenDepth == 0 { body.cellBreak(at: offset) }
    }

    /// A block element's start or end: a paragraph break inside a cell of the innermost
    /// table (unless the cell holds a table of its own: a layout cell keeps its blocks),
    /// a block break anywhere else.
    mutating func breakBlock(at offset: Int32) {
        if inCell {
            if hiddenDepth == 0 { body.cellParagraphBreak(at: offset) }
        } else {
            breakBody(at: offset)
        }
    }

    /// Tracks table structure, forgiving omitted end tags (`<td>a<td>b`, `<tr>` without `</tr>`).
    mutating func tableStructure(start name: TagName) {
        if name == .table {
            if tableLevels.last == .cell { tableLevels[tableLevels.count - 1] = .layoutCell }
            tableLevels.append(.table)
        } else if name == .tr || name.isTableCell {
            while let last = tableLevels.last, last != .table { tableLevels.removeLast() }
            if name.isTableCell, !tableLevels.isEmpty { tableLevels.append(.cell) }
        }
    }

    mutating func tableStructure(end name: TagName) {
        if name == .table {
            while let last = tableLevels.popLast(), last != .table {}
        } else if name == .tr || name.isTableCell {
            while let last = tableLevels.last, last != .table { tableLevels.removeLast() }
        }
    }

    mutating func emitLiteral(_ k: Int) {
        if hiddenDepth == 0 { body.text(s[k], starts[k], ends[k], preserve: preDepth > 0) }
    }

    mutating func startTag(at i: Int) -> Int {
        guard let tag = src.readTag(at: i, nameStart: i + 1, keepAttributes: true) else { return n }
        let name = tag.name
        let offset = starts[i]
        let after = tag.end

        if hiddenDepth == 0 {
            if tag.title.isPresent { src.attributeItem(tag.title, into: &titleAttribute, at: offset) }
            if name == .img, tag.alt.isPresent { src.attributeItem(tag.alt, into: &imageAlt, at: offset) }
            if name == .meta, tag.content.isPresent, tag.metaName.isPresent {
                switch src.asciiLowercased(Int(tag.metaName.valueStart), Int(tag.metaName.valueEnd)) {
                case "description": src.attributeItem(tag.content, into: &metaDescription, at: offset)
                case "keywords": src.attributeItem(tag.content, into: &metaKeywords, at: offset)
                default: break
                }
            }
        }

        switch name {
        case .script, .style, .iframe, .noembed, .noframes:
            return src.endOfRawText(name, from: after).end
        case .xmp:
            breakBody(at: offset)
            let (contentEnd, end) = src.endOfRawText(name, from: after)
            if hiddenDepth == 0 {
                for k in after..<contentEnd { body.text(s[k], starts[k], ends[k], preserve: true) }
                breakBody(at: contentEnd < n ? starts[contentEnd] : (n > 0 ? ends[n - 1] : 0))
            }
            return end
        case .plaintext:
            breakBody(at: offset)
            if hiddenDepth == 0 { for k in after..<n { body.text(s[k], starts[k], ends[k], preserve: true) } }
            return n
        case .title where foreignDepth == 0:
            let (contentEnd, end) = src.endOfRawText(name, from: after)
            if hiddenDepth == 0 {
                title.blockBreak(at: offset)
                src.decodedText(after, contentEnd, into: &title, preserve: false)
            }
            return end
        case .textarea:
            breakBody(at: offset)
            let (contentEnd, end) = src.endOfRawText(name, from: after)
            if hiddenDepth == 0 {
                var from = after
                if from < contentEnd, s[from].value == 0x0A { from += 1 }
                src.decodedText(from, contentEnd, into: &body, preserve: true)
                breakBody(at: contentEnd < n ? starts[contentEnd] : (n > 0 ? ends[n - 1] : 0))
            }
            return end
        case .template:
            hiddenDepth += 1
        case .svg, .math:
            if !tag.selfClosing { foreignDepth += 1 }
        case .pre, .listing:
            breakBody(at: offset)
            preDepth += 1
            skipNewlineAt = after
        default:
            // (Most tags are inline: the block test first.)
            guard name.isBlockElement else { break }
            if name == .table || name == .tr || name.isTableCell {
                // The structure first: a new row or cell closes the cell before it.
                tableStructure(start: name)
                if name.isTableCell { breakCell(at: offset) } else { breakBody(at: offset) }
            } else {
                breakBlock(at: offset)
            }
        }
        return after
    }

    mutating func endTag(at i: Int) -> Int {
        guard let tag = src.readTag(at: i, nameStart: i + 2, keepAttributes: false) else { return n }
        let name = tag.name
        switch name {
        case .template: hiddenDepth = max(0, hiddenDepth - 1)
        case .svg, .math: foreignDepth = max(0, foreignDepth - 1)
        case .pre, .listing:
            preDepth = max(0, preDepth - 1)
            breakBody(at: starts[i])
        default:
            // (A cell's end adds nothing: the next cell's tab or the row's block break separates it.)
            guard name.isBlockElement else { break }
            if name == .table || name == .tr || name.isTableCell {
                tableStructure(end: name)
                if !name.isTableCell { breakBody(at: starts[i]) }
            } else {
                breakBlock(at: starts[i])
            }
        }
        return tag.end
    }
}

/// The decoded page as the scanner reads it (read-only).
struct ScalarSource {
    let s: UnsafeBufferPointer<Unicode.Scalar>
    let starts: UnsafeBufferPointer<Int32>
    let ends: UnsafeBufferPointer<Int32>
    let n: Int

    /// `<!--` at `i`: returns the index after the comment (or the end).
    func comment(at i: Int) -> Int {
        let j = i + 4
        if j < n, s[j].value == 0x3E { return j + 1 }  // <!-->
        if j + 1 < n, s[j].value == 0x2D, s[j + 1].value == 0x3E { return j + 2 }  // <!--->
        var k = j
        while k + 2 < n {
            if s[k].value == 0x2D, s[k + 1].value == 0x2D {
                if s[k + 2].value == 0x3E { return k + 3 }
                if k + 3 < n, s[k + 2].value == 0x21, s[k + 3].value == 0x3E { return k + 4 }  // --!>
            }
            k += 1
        }
        return n
    }

    /// An attribute's value: `valueStart ..< valueEnd` (scalar indexes); absent when
    /// `valueStart` is negative.
    struct Attribute {
        var valueStart: Int32 = -1
        var valueEnd: Int32 = -1
        var isPresent: Bool { valueStart >= 0 }
    }

    /// A tag as read by ``readTag(at:nameStart:keepAttributes:)``: plain data, small. (The
    /// attributes the extraction reads are held inline, the first of each name: an optional
    /// tag holding an array was destroyed through the runtime's generic value witnesses, for
    /// every tag of every page.)
    struct Tag {
        var name: TagName
        var title = Attribute()
        var alt = Attribute()
        /// `name` (of a `<meta>`).
        var metaName = Attribute()
        var content = Attribute()
        var end = 0
        var selfClosing = false
    }

    /// Reads a tag's name and attributes from `i` (at `<` or `</`).
    /// Returns nil when the tag never ends.
    func readTag(at i: Int, nameStart: Int, keepAttributes: Bool) -> Tag? {
        var j = nameStart
        var name = TagName()
        while j < n {
            let v = s[j].value
            if isSpace(v) || v == 0x2F || v == 0x3E { break }
            if j - nameStart < 16 { name.set(j - nameStart, s[j]) }
            j += 1
        }
        var tag = Tag(name: name)
        while true {
            while j < n, isSpace(s[j].value) || s[j].value == 0x2F {
                tag.selfClosing = s[j].value == 0x2F
                j += 1
            }
            guard j < n else { return nil }
            if s[j].value == 0x3E {
                tag.end = j + 1
                return tag
            }
            tag.selfClosing = false
            // Attribute name (a leading '=' belongs to the name).
            let attrStart = j
            var attrName = TagName()
            while j < n {
                let v = s[j].value
                if isSpace(v) || v == 0x2F || v == 0x3E || (v == 0x3D && j > attrStart) { break }
                if keepAttributes, j - attrStart < 12 { attrName.set(j - attrStart, s[j]) }
                j += 1
            }
            let nameTooLong = j - attrStart > 12
            var k = j
            while k < n, isSpace(s[k].value) { k += 1 }
            var valueStart = k, valueEnd = k
            if k < n, s[k].value == 0x3D {
                j = k + 1
                while j < n, isSpace(s[j].value) { j += 1 }
                guard j < n else { return nil }
                let q = s[j].value
                if q == 0x22 || q == 0x27 {
                    var close = j + 1
                    while close < n, s[close].value != q { close += 1 }
                    guard close < n else { return nil }
                    valueStart = j + 1
                    valueEnd = close
                    j = close + 1
                } else {
                    valueStart = j
                    while j < n, !isSpace(s[j].value), s[j].value != 0x3E { j += 1 }
                    valueEnd = j
                }
            } else {
                j = k
            }
            if keepAttributes, !nameTooLong {
                let attribute = Attribute(valueStart: Int32(truncatingIfNeeded: valueStart), valueEnd: Int32(truncatingIfNeeded: valueEnd))
                if attrName == .title { if !tag.title.isPresent { tag.title = attribute } }
                else if attrName == .alt { if !tag.alt.isPresent { tag.alt = attribute } }
                else if attrName == .name { if !tag.metaName.isPresent { tag.metaName = attribute } }
                else if attrName == .content { if !tag.content.isPresent { tag.content = attribute } }
            }
        }
    }

    /// For raw text and RCDATA elements: where the content ends (the `<` of
    /// the matching end tag, or the end) and the index after the end tag.
    func endOfRawText(_ name: TagName, from: Int) -> (contentEnd: Int, end: Int) {
        let nameScalars = name.scalars
        var k = from
        while k + 1 < n {
            if s[k].value == 0x3C, s[k + 1].value == 0x2F {
                var m = k + 2
                var ok = true
                for c in nameScalars {
                    if m >= n || lower(s[m]) != c { ok = false; break }
                    m += 1
                }
                if ok, m >= n || isSpace(s[m].value) || s[m].value == 0x2F || s[m].value == 0x3E {
                    return (k, skipPast(0x3E, from: m))
                }
            }
            k += 1
        }
        return (n, n)
    }

    /// Appends one attribute value as an item of `run`.
    func attributeItem(_ a: Attribute, into run: inout RunBuilder, at offset: Int32) {
        let valueEnd = Int(a.valueEnd)
        guard a.valueStart < a.valueEnd else { return }
        run.blockBreak(at: offset)
        var k = Int(a.valueStart)
        while k < valueEnd {
            if s[k].value == 0x26, let (scalar, next) = characterReference(at: k, limit: valueEnd, inAttribute: true) {
                run.text(scalar, starts[k], ends[next - 1], preserve: false)
                k = next
            } else {
                run.text(s[k], starts[k], ends[k], preserve: false)
                k += 1
            }
        }
    }

    /// Appends text with character references decoded (RCDATA content).
    func decodedText(_ from: Int, _ to: Int, into run: inout RunBuilder, preserve: Bool) {
        var k = from
        while k < to {
            if s[k].value == 0x26, let (scalar, next) = characterReference(at: k, limit: to, inAttribute: false) {
                run.text(scalar, starts[k], ends[next - 1], preserve: preserve)
                k = next
            } else {
                run.text(s[k], starts[k], ends[k], preserve: preserve)
                k += 1
            }
        }
    }

    // MARK: - Character references

    /// Decodes the character reference at `i` (an `&`). Returns the scalar
    /// and the index after the reference, or nil if it is not one.
    func characterReference(at i: Int, limit: Int, inAttribute: Bool) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        guard j < limit else { return nil }
        if s[j].value == 0x23 {  // #
            j += 1
            var hex = false
            if j < limit, s[j].value | 0x20 == 0x78 { hex = true; j += 1 }
            let digitsStart = j
            var value: UInt32 = 0
            while j < limit {
                let v = s[j].value
                let d: UInt32
                if v >= 0x30 && v <= 0x39 { d = v - 0x30 }
                else if hex, (v | 0x20) >= 0x61, (v | 0x20) <= 0x66 { d = (v | 0x20) - 0x61 + 10 }
                else { break }
                value = min(value * (hex ? 16 : 10) + d, 0x110000)
                j += 1
            }
            guard j > digitsStart else { return nil }
            if j < limit, s[j].value == 0x3B { j += 1 }
            return (numericScalar(value), j)
        }
        var k = j
        while k < limit, k - j < 32, isAlphanumeric(s[k].value) { k += 1 }
        guard k > j else { return nil }
        if k < limit, s[k].value == 0x3B, let v = namedReferences[asciiString(j, k)], let scalar = Unicode.Scalar(v) {
            return (scalar, k + 1)
        }
        // Legacy names without a semicolon: the longest prefix that is one.
        var length = min(k - j, 6)
        while length >= 2 {
            let name = asciiString(j, j + length)
            if legacyNamedReferences.contains(name), let v = namedReferences[name], let scalar = Unicode.Scalar(v) {
                let after = j + length
                if after < limit, s[after].value == 0x3B { return (scalar, after + 1) }
                if inAttribute, after < limit, s[after].value == 0x3D || isAlphanumeric(s[after].value) {
                    return nil
                }
                return (scalar, after)
            }
            length -= 1
        }
        return nil
    }

    func numericScalar(_ value: UInt32) -> Unicode.Scalar {
        if value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) { return "\u{FFFD}" }
        if value >= 0x80, value <= 0x9F, let mapped = windows1252C1[value] { return Unicode.Scalar(mapped)! }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    // MARK: - Helpers

    func skipPast(_ c: UInt32, from: Int) -> Int {
        var k = from
        while k < n, s[k].value != c { k += 1 }
        return min(k + 1, n)
    }

    func matches(_ i: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let p = text.utf8Start
        for k in 0..<count where s[i + k].value != UInt32(p[k]) { return false }
        return true
    }

    func find(_ text: StaticString, from: Int) -> Int? {
        var k = from
        while k < n {
            if matches(k, text) { return k }
            k += 1
        }
        return nil
    }

    func asciiString(_ from: Int, _ to: Int) -> String {
        var out = ""
        for k in from..<to { out.unicodeScalars.append(s[k]) }
        return out
    }

    func asciiLowercased(_ from: Int, _ to: Int) -> String {
        var out = ""
        var a = from, b = to
        while a < b, isSpace(s[a].value) { a += 1 }
        while b > a, isSpace(s[b - 1].value) { b -= 1 }
        guard b - a <= 32 else { return "" }
        for k in a..<b { out.unicodeScalars.append(lower(s[k])) }
        return out
    }
}

@inline(__always) func isSpace(_ v: UInt32) -> Bool {
    v == 0x20 || v == 0x0A || v == 0x09 || v == 0x0D || v == 0x0C
}
@inline(__always) func isLetter(_ v: UInt32) -> Bool { (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
@inline(__always) func isAlphanumeric(_ v: UInt32) -> Bool { isLetter(v) || (v >= 0x30 && v <= 0x39) }
@inline(__always) func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
    c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(c.value | 0x20)! : c
}

/// Numeric references to 0x80–0x9F mean windows-1252 characters.
let windows1252C1: [UInt32: UInt32] = [
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
    0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
    0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
    0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
]
