/// Where on a page a piece of text was shown to a reader or a search engine.
public enum TextLocation: String, Sendable, Codable, CaseIterable {
    /// Visible body text.
    case body
    /// The `<title>` element.
    case title
    /// `<meta name="description">`.
    case metaDescription = "meta-description"
    /// `<meta name="keywords">`.
    case metaKeywords = "meta-keywords"
    /// An image's `alt` attribute.
    case imageAlt = "img-alt"
    /// Any element's `title` attribute (tooltip).
    case titleAttribute = "title-attr"
    /// Plain text (not HTML): a text file or standard input.
    case text
}

/// A run of extracted text in which every Unicode scalar remembers the raw
/// bytes it came from.
///
/// `byteStarts[i] ..< byteEnds[i]` is the range of the raw (undecoded) page
/// bytes that produced `scalars[i]`: one byte for ASCII, two for a GBK
/// character, the whole `&#21253;` for a character reference. Markup between
/// two scalars (`包<span>过`) shows as a jump between `byteEnds[i]` and
/// `byteStarts[i+1]`.
///
/// Block boundaries inside a run (`</p>`, `<br>`, `<div>`, a table cell) are
/// represented by the scalar U+2029 PARAGRAPH SEPARATOR with an empty byte
/// range at the position of the tag, so that matching never joins words
/// across blocks.
public struct TextRun: Sendable, Equatable {
    public var location: TextLocation
    public var scalars: [Unicode.Scalar]
    /// Byte offsets as `Int32` (pages are far below 2 GiB; 8 bytes less per character).
    public var byteStarts: [Int32]
    public var byteEnds: [Int32]

    public init(location: TextLocation, scalars: [Unicode.Scalar] = [], byteStarts: [Int32] = [], byteEnds: [Int32] = []) {
        precondition(scalars.count == byteStarts.count && scalars.count == byteEnds.count)
        self.location = location
        self.scalars = scalars
        self.byteStarts = byteStarts
        self.byteEnds = byteEnds
    }

    /// The scalar that marks a block boundary inside a run.
    public static let blockBreak: Unicode.Scalar = "\u{2029}"

    public var count: Int { scalars.count }
    public var isEmpty: Bool { scalars.isEmpty }

    public mutating func append(_ scalar: Unicode.Scalar, bytes: Range<Int>) {
        scalars.append(scalar)
        byteStarts.append(Int32(truncatingIfNeeded: bytes.lowerBound))
        byteEnds.append(Int32(truncatingIfNeeded: bytes.upperBound))
    }

    /// Appends a block boundary at `byteOffset`, unless the run is empty or
    /// already ends with one.
    public mutating func appendBlockBreak(at byteOffset: Int) {
        guard let last = scalars.last, last != TextRun.blockBreak else { return }
        append(TextRun.blockBreak, bytes: byteOffset..<byteOffset)
    }

    /// The run's text as a String (block breaks as U+2029).
    public var string: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// A run for plain text whose scalars came from consecutive UTF-8 bytes.
    public init(utf8Text text: String, location: TextLocation = .text) {
        self.init(location: location)
        var offset = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            append(scalar, bytes: offset..<(offset + width))
            offset += width
        }
    }
}
