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

    // Elements and attributes the scanner treats specially, as packed literals (a `static let`
    // built by `init(_:)` would cost a lazy-initialization check at every use; a test
    // checks each against `TagName("…")`).
    static var script: TagName { TagName(low: 0x747069726373, high: 0x0) }
    static var style: TagName { TagName(low: 0x656C797473, high: 0x0) }
    static var iframe: TagName { TagName(low: 0x656D61726669, high: 0x0) }
    static var noembed: TagName { TagName(low: 0x6465626D656F6E, high: 0x0) }
    static var noframes: TagName { TagName(low: 0x73656D6172666F6E, high: 0x0) }
    static var xmp: TagName { TagName(low: 0x706D78, high: 0x0) }
    static var plaintext: TagName { TagName(low: 0x7865746E69616C70, high: 0x74) }
    static var title: TagName { TagName(low: 0x656C746974, high: 0x0) }
    static var textarea: TagName { TagName(low: 0x6165726174786574, high: 0x0) }
    static var template: TagName { TagName(low: 0x6574616C706D6574, high: 0x0) }
    static var svg: TagName { TagName(low: 0x677673, high: 0x0) }
    static var math: TagName { TagName(low: 0x6874616D, high: 0x0) }
    static var pre: TagName { TagName(low: 0x657270, high: 0x0) }
    static var listing: TagName { TagName(low: 0x676E697473696C, high: 0x0) }
    static var meta: TagName { TagName(low: 0x6174656D, high: 0x0) }
    static var img: TagName { TagName(low: 0x676D69, high: 0x0) }
    /// `td` or `th`.
    @inline(__always)
    var isTableCell: Bool { high == 0 && (low == 0x6474 || low == 0x6874) }
    static var table: TagName { TagName(low: 0x656C626174, high: 0x0) }
    static var tr: TagName { TagName(low: 0x7274, high: 0x0) }
    static var alt: TagName { TagName(low: 0x746C61, high: 0x0) }
    static var name: TagName { TagName(low: 0x656D616E, high: 0x0) }
    static var content: TagName { TagName(low: 0x746E65746E6F63, high: 0x0) }

    /// Elements that start and end a block (or break a line) for a reader.
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
    ]

    /// Whether this is one of ``blockElements`` (a switch over the packed names, so that
    /// no table is read per tag; a test checks it against the list).
    var isBlockElement: Bool {
        if high != 0 {
            return (low == 0x6F75716B636F6C62 && high == 0x6574) || (low == 0x6974706163676966 && high == 0x6E6F) || (low == 0x7865746E69616C70 && high == 0x74)   // blockquote, figcaption, plaintext
        }
        switch low {
        case 0x73736572646461, 0x656C6369747261, 0x6564697361, 0x6F69647561, 0x79646F62, 0x7262,
             0x6E6F74747562, 0x7361766E6163, 0x6E6F6974706163, 0x7265746E6563, 0x6C6F63, 0x70756F72676C6F63,
             0x6464, 0x736C6961746564, 0x676F6C616964, 0x726964, 0x766964, 0x6C64,
             0x7464, 0x6465626D65, 0x746573646C656966, 0x657275676966, 0x7265746F6F66, 0x6D726F66,
             0x656D617266, 0x746573656D617266, 0x3168, 0x3268, 0x3368, 0x3468,
             0x3568, 0x3668, 0x64616568, 0x726564616568, 0x70756F726768, 0x7268,
             0x6C6D7468, 0x656D61726669, 0x7475706E69, 0x646E6567656C, 0x696C, 0x676E697473696C,
             0x6E69616D, 0x6565757172616D, 0x756E656D, 0x76616E, 0x7470697263736F6E, 0x7463656A626F,
             0x6C6F, 0x70756F726774706F, 0x6E6F6974706F, 0x70, 0x657270, 0x6E6F6974636573,
             0x7463656C6573, 0x7972616D6D7573, 0x656C626174, 0x79646F6274, 0x6474, 0x6165726174786574,
             0x746F6F6674, 0x6874, 0x6461656874, 0x656C746974, 0x7274, 0x6C75,
             0x6F65646976, 0x706D78:
            return true
        default:
            return false
        }
    }
}
