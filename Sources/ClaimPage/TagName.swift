/// A lower-cased element or attribute name packed into two integers.
///
/// The scanner meets a tag name at every `<`; building a String for each and
/// looking it up in a `Set<String>` was a third of the extraction's time. Up to
/// 16 ASCII characters are packed (a name is compared only with the known
/// names below, all shorter); a name with a non-ASCII character is packed as
/// `unknown` (so is one with NUL), which equals none of them.
struct TagName: Equatable, Comparable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    static let unknown = TagName(low: .max, high: .max)

    /// Appends the `index`-th character (0-based, lower-cased if ASCII) of the name.
    @inline(__always)
    mutating func set(_ index: Int, _ scalar: Unicode.Scalar) {
        let v = scalar.value
        guard v != 0, v < 0x80, self != .unknown else { self = .unknown; return }
        let byte = UInt64(v >= 0x41 && v <= 0x5A ? v | 0x20 : v)
        if index < 8 { low |= byte << (8 * UInt64(index)) } else if index < 16 { high |= byte << (8 * UInt64(index - 8)) }
    }

    init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    init() {}

    /// A known name (ASCII, at most 16 characters).
    init(_ name: StaticString) {
        let p = name.utf8Start
        for k in 0..<min(name.utf8CodeUnitCount, 16) { set(k, Unicode.Scalar(p[k])) }
    }

    /// The name's characters (for finding its end tag).
    var scalars: [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for word in [low, high] {
            for k in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k)))
                if byte == 0 { return out }
                out.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    static func < (a: TagName, b: TagName) -> Bool { (a.low, a.high) < (b.low, b.high) }

    // Elements and attributes the scanner treats specially.
    static let script = TagName("script"), style = TagName("style"), iframe = TagName("iframe")
    static let noembed = TagName("noembed"), noframes = TagName("noframes"), xmp = TagName("xmp")
    static let plaintext = TagName("plaintext"), title = TagName("title"), textarea = TagName("textarea")
    static let template = TagName("template"), svg = TagName("svg"), math = TagName("math")
    static let pre = TagName("pre"), listing = TagName("listing"), meta = TagName("meta"), img = TagName("img")
    static let alt = TagName("alt"), name = TagName("name"), content = TagName("content")

    /// The attributes the scanner reads (others are skipped).
    @inline(__always)
    var isInterestingAttribute: Bool { self == .title || self == .alt || self == .name || self == .content }

    /// Elements that start and end a block (or break a line) for a reader, sorted for binary search.
    static let blockElements: [TagName] = [
        TagName("address"), TagName("article"), TagName("aside"), TagName("blockquote"), TagName("body"),
        TagName("br"), TagName("button"), TagName("caption"), TagName("center"), TagName("col"),
        TagName("colgroup"), TagName("dd"), TagName("details"), TagName("dialog"), TagName("dir"),
        TagName("div"), TagName("dl"), TagName("dt"), TagName("fieldset"), TagName("figcaption"),
        TagName("figure"), TagName("footer"), TagName("form"), TagName("frame"), TagName("frameset"),
        TagName("h1"), TagName("h2"), TagName("h3"), TagName("h4"), TagName("h5"), TagName("h6"),
        TagName("head"), TagName("header"), TagName("hgroup"), TagName("hr"), TagName("html"),
        TagName("legend"), TagName("li"), TagName("listing"), TagName("main"), TagName("marquee"),
        TagName("menu"), TagName("nav"), TagName("noscript"), TagName("ol"), TagName("optgroup"),
        TagName("option"), TagName("p"), TagName("pre"), TagName("section"), TagName("select"),
        TagName("summary"), TagName("table"), TagName("tbody"), TagName("td"), TagName("textarea"),
        TagName("tfoot"), TagName("th"), TagName("thead"), TagName("title"), TagName("tr"), TagName("ul"),
        TagName("xmp"), TagName("plaintext"), TagName("input"), TagName("iframe"), TagName("object"),
        TagName("video"), TagName("audio"), TagName("canvas"), TagName("embed"),
    ].sorted()

    var isBlockElement: Bool {
        let list = TagName.blockElements
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] == self { return true }
            if list[mid] < self { lo = mid + 1 } else { hi = mid }
        }
        return false
    }
}
