/// Which charset a page was decoded with, what it declared, and why.
///
/// Kept as evidence with every finding: headers and meta tags lie or
/// disagree on the Chinese long tail, and an inspector must be able to see
/// how the bytes were read.
public struct CharsetDecision: Sendable, Codable, Equatable {
    /// The charset used (canonical name: `UTF-8`, `GB18030`, `Big5`, `windows-1252`, …).
    public var chosen: String
    /// The label in the Content-Type header's `charset` parameter, as sent.
    public var header: String?
    /// The first recognised label in a `<meta>` declaration, as written.
    public var meta: String?
    /// The encoding named by a byte order mark.
    public var bom: String?
    /// ICU's detector verdict, when the detector was consulted.
    public var detected: String?
    /// The detector's confidence (0–100).
    public var confidence: Int?
    /// Bytes of the page that could not be decoded with `chosen` (shown as U+FFFD).
    public var undecodableBytes: Int
    /// Labels that were declared but not recognised, e.g. `["header: foo", "meta: x-bogus"]`.
    public var ignoredLabels: [String]
    /// Why `chosen` was chosen, in words.
    public var reason: String

    public init(chosen: String, header: String? = nil, meta: String? = nil, bom: String? = nil,
                detected: String? = nil, confidence: Int? = nil, undecodableBytes: Int = 0,
                ignoredLabels: [String] = [], reason: String) {
        self.chosen = chosen
        self.header = header
        self.meta = meta
        self.bom = bom
        self.detected = detected
        self.confidence = confidence
        self.undecodableBytes = undecodableBytes
        self.ignoredLabels = ignoredLabels
        self.reason = reason
    }
}

/// A page's raw bytes, decoded to Unicode scalars that each remember the raw
/// bytes they came from.
///
/// `scalars[i]` came from the bytes `byteStarts[i] ..< byteEnds[i]` of `bytes` (both are
/// copies made on each access: read them once). A byte order mark belongs to no scalar.
///
/// Stored as one array of bounds (`scalars[i]` runs from `byteBounds[i]` to
/// `byteBounds[i + 1]`) and, only for the rare decodings where several scalars share their
/// bytes, their ends: the decoded page is written and read for every character.
public struct DecodedPage: Sendable {
    public let bytes: [UInt8]
    public let scalars: [Unicode.Scalar]
    /// `scalars.count + 1` byte offsets as `Int32` (a page is far below 2 GiB: the fetch and
    /// file limits see to it): where each scalar starts, then where the decoded bytes end.
    let byteBounds: [Int32]
    /// Each scalar's end when some scalars share their bytes; nil when every scalar ends
    /// where the next begins.
    let sharedEnds: [Int32]?
    public let decision: CharsetDecision

    /// The largest page that can be decoded (byte offsets are `Int32`). Callers limit what
    /// they read far below this (10 MiB by default).
    public static let maxBytes = Int(Int32.max)

    /// Decodes `bytes` the way a browser picks a charset: BOM, then the
    /// Content-Type header's `charset`, then a `<meta>` declaration in the
    /// first 4096 bytes, then ICU's detector, then GB18030 (or UTF-8 when the
    /// bytes are valid UTF-8). See ``CharsetDecision`` for what is recorded.
    ///
    /// Where claimscan departs from a browser, to read what the agency meant:
    /// - header and meta disagree: decode with both, fewer undecodable bytes
    ///   wins (a tie goes to the header, unless the header is windows-1252,
    ///   which accepts any bytes and so proves nothing);
    /// - a declared charset that leaves undecodable bytes loses to a clean
    ///   UTF-8 decoding (or, for a UTF-8 declaration, a clean GB18030 one);
    /// - a windows-1252 (Latin-1, ASCII) declaration over non-ASCII bytes
    ///   loses to valid UTF-8, or to a clean CJK charset the detector names.
    ///
    /// - Parameter contentType: the Content-Type header value, if any
    ///   (`text/html; charset=gbk`).
    public init(bytes: [UInt8], contentType: String? = nil) {
        precondition(bytes.count <= DecodedPage.maxBytes, "a page over 2 GiB (callers limit pages far below this)")
        let (decoding, decision) = CharsetChooser.choose(bytes: bytes, contentType: contentType)
        self.bytes = bytes
        self.scalars = decoding.scalars
        self.byteBounds = decoding.byteBounds
        self.sharedEnds = decoding.sharedEnds
        self.decision = decision
    }

    /// Decodes `bytes` with a given charset label (`gbk`, `utf-8`, …),
    /// skipping no BOM logic. Returns nil when the label is unknown to both
    /// the browser label table and ICU.
    public init?(bytes: [UInt8], charset label: String) {
        precondition(bytes.count <= DecodedPage.maxBytes, "a page over 2 GiB (callers limit pages far below this)")
        let name = CharsetLabel.canonicalName(for: label) ?? label
        guard let d = ICUDecoder.decode(bytes, charset: name) else { return nil }
        self.bytes = bytes
        self.scalars = d.scalars
        self.byteBounds = d.byteBounds
        self.sharedEnds = d.sharedEnds
        self.decision = CharsetDecision(chosen: name, undecodableBytes: d.undecodableBytes,
                                        reason: "charset \(label) given by the caller")
    }

    /// Where each scalar starts in `bytes` (a copy on each access: read it once, not per index).
    public var byteStarts: [Int32] { Array(byteBounds.dropLast()) }
    /// Where each scalar ends in `bytes` (a copy on each access: read it once, not per index).
    public var byteEnds: [Int32] { sharedEnds ?? Array(byteBounds.dropFirst()) }

    /// Calls `body` with the scalars' starts and ends, without copying them.
    func withByteRanges<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> R) -> R {
        byteBounds.withUnsafeBufferPointer { bounds in
            let starts = UnsafeBufferPointer(rebasing: bounds.dropLast())
            guard let sharedEnds else { return body(starts, UnsafeBufferPointer(rebasing: bounds.dropFirst())) }
            return sharedEnds.withUnsafeBufferPointer { body(starts, $0) }
        }
    }

    /// The page's decoded text.
    public var string: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// Decodes a slice of this page's raw bytes with the page's charset
    /// (for printing the text of a finding exactly as it was on the page).
    public func text(bytes range: Range<Int>) -> String {
        let r = range.clamped(to: 0..<bytes.count)
        return Charset.decode(bytes[r], charset: decision.chosen)
    }
}

/// Decoding of arbitrary byte slices.
public enum Charset {
    /// Decodes `bytes` with `charset` (a label or ICU name) to a String;
    /// undecodable bytes become U+FFFD. Unknown charsets fall back to UTF-8.
    public static func decode(_ bytes: ArraySlice<UInt8>, charset: String) -> String {
        let name = CharsetLabel.canonicalName(for: charset) ?? charset
        return bytes.withUnsafeBufferPointer { buf in
            ICUDecoder.string(buf, charset: name) ?? String(decoding: buf, as: UTF8.self)
        }
    }

    /// Decodes `bytes` with `charset`; see ``decode(_:charset:)-(ArraySlice<UInt8>,_)``.
    public static func decode(_ bytes: [UInt8], charset: String) -> String {
        decode(bytes[...], charset: charset)
    }
}

/// The decision procedure behind ``DecodedPage/init(bytes:contentType:)``.
enum CharsetChooser {
    static func choose(bytes: [UInt8], contentType: String?) -> (ScalarDecoding, CharsetDecision) {
        var ignored: [String] = []
        var notes: [String] = []

        let headerLabel = contentType.flatMap(CharsetSniffer.charsetParameter(inContentType:))
        var headerName = headerLabel.flatMap(CharsetLabel.canonicalName(for:))
        if let h = headerLabel, headerName == nil { ignored.append("header: \(h)") }
        if let h = headerName, !ICUDecoder.known(h) {
            ignored.append("header: \(headerLabel ?? h)")
            headerName = nil
        }

        var metaLabel: String?
        var metaName: String?
        for label in CharsetSniffer.metaCharsetLabels(bytes) {
            if var name = CharsetLabel.canonicalName(for: label), ICUDecoder.known(name) {
                if CharsetLabel.isUTF16(name) {
                    notes.append("meta declares \(label), which browsers read as UTF-8")
                    name = "UTF-8"
                }
                metaLabel = label
                metaName = name
                break
            }
            ignored.append("meta: \(label)")
        }

        func decision(_ d: ScalarDecoding, _ reason: String, bom: String? = nil,
                      detected: (String, Int)? = nil) -> (ScalarDecoding, CharsetDecision) {
            let why = (notes + [reason]).joined(separator: "; ")
            return (d, CharsetDecision(chosen: d.charset, header: headerLabel, meta: metaLabel, bom: bom,
                                       detected: detected?.0, confidence: detected?.1,
                                       undecodableBytes: d.undecodableBytes, ignoredLabels: ignored,
                                       reason: why))
        }
        func decode(_ name: String) -> ScalarDecoding {
            ICUDecoder.decode(bytes, charset: name)
                ?? ICUDecoder.decode(bytes, charset: "UTF-8")!
        }

        // 1. A byte order mark wins over everything.
        if let (bom, length) = CharsetSniffer.byteOrderMark(bytes),
           let d = ICUDecoder.decode(bytes, from: length, charset: bom) {
            var overridden: [String] = []
            if let h = headerLabel { overridden.append("header \(h)") }
            if let m = metaLabel { overridden.append("meta \(m)") }
            let reason = "\(bom) byte order mark"
                + (overridden.isEmpty ? "" : " overrides " + overridden.joined(separator: " and "))
            return decision(d, reason, bom: bom)
        }

        // 2. Declared charsets.
        var declared: ScalarDecoding?
        var reason = ""
        switch (headerName, metaName) {
        case let (h?, m?) where h != m:
            let dh = decode(h)
            let dm = decode(m)
            let counts = "\(dh.undecodableBytes) undecodable bytes as \(h), \(dm.undecodableBytes) as \(m)"
            let disagree = "header and meta disagree (header \(headerLabel!), meta \(metaLabel!))"
            if dm.undecodableBytes < dh.undecodableBytes {
                declared = dm
                reason = "\(disagree); meta's \(m) decodes more cleanly (\(counts))"
            } else if dh.undecodableBytes < dm.undecodableBytes {
                declared = dh
                reason = "\(disagree); header's \(h) decodes more cleanly (\(counts))"
            } else if h == "windows-1252", dm.nonASCIIScalars > 0 {
                // windows-1252 decodes any byte, so a tie says nothing about it.
                declared = dm
                reason = "\(disagree); both decode without errors (\(counts)), but windows-1252 accepts any bytes; "
                    + "meta's \(m) wins"
            } else {
                declared = dh
                reason = "\(disagree); both decode equally (\(counts)); header wins the tie"
            }
        case let (h?, m):
            declared = decode(h)
            reason = m == nil ? "Content-Type header declares \(headerLabel!)"
                : "header and meta agree (\(headerLabel!), \(metaLabel!))"
        case let (nil, m?):
            declared = decode(m)
            reason = "meta declares \(metaLabel!)"
        case (nil, nil):
            declared = nil
        }

        if let d = declared {
            // Sanity check: a declaration that leaves bytes undecodable loses to
            // a clean decoding by UTF-8 (or, for a UTF-8 declaration, GB18030).
            if d.undecodableBytes > 0 {
                let alternative = d.charset == "UTF-8" ? "GB18030" : "UTF-8"
                let a = decode(alternative)
                let plausible = alternative == "GB18030" || a.nonASCIIScalars > 0
                if a.undecodableBytes == 0, plausible {
                    let why = alternative == "UTF-8" ? "but the bytes are valid UTF-8"
                        : "but the bytes decode cleanly as GB18030"
                    return decision(a, "\(reason); \(d.charset) leaves \(d.undecodableBytes) undecodable bytes \(why); decoded as \(alternative)")
                }
            }
            // windows-1252 decodes any bytes, so errors never show a wrong
            // label: check non-ASCII content against UTF-8 and the detector.
            if d.charset == "windows-1252", d.nonASCIIScalars > 0 {
                let u = decode("UTF-8")
                if u.undecodableBytes == 0 {
                    return decision(u, "\(reason); but the non-ASCII bytes are valid UTF-8; decoded as UTF-8")
                }
                if let detected = ICUDecoder.detect(bytes) {
                    let name = CharsetLabel.canonicalName(for: detected.name) ?? detected.name
                    if name == "GB18030" || CharsetLabel.isCJKMultibyte(name), detected.confidence >= 50,
                       let c = ICUDecoder.decode(bytes, charset: name), c.undecodableBytes == 0 {
                        return decision(c, "\(reason); but windows-1252 accepts any bytes and the detector says "
                            + "\(detected.name) (confidence \(detected.confidence)), which decodes cleanly",
                            detected: detected)
                    }
                }
            }
            return decision(d, reason)
        }

        // 3. Nothing declared: valid UTF-8 is UTF-8.
        let utf8 = decode("UTF-8")
        if utf8.undecodableBytes == 0 {
            return decision(utf8, utf8.nonASCIIScalars == 0
                ? "no charset declared; the bytes are ASCII, read as UTF-8"
                : "no charset declared; the bytes are valid UTF-8")
        }

        // 4. ICU's detector, checked against the GB18030 default.
        let gb = decode("GB18030")
        let detected = ICUDecoder.detect(bytes)
        if let (rawName, confidence) = detected {
            let name = CharsetLabel.canonicalName(for: rawName) ?? rawName
            if name == "GB18030" {
                return decision(gb, "no charset declared; detector says \(rawName) (confidence \(confidence))",
                                detected: detected)
            }
            if name != "UTF-8", !CharsetLabel.isUTF16(name), confidence >= 50,
               let d = ICUDecoder.decode(bytes, charset: name) {
                let cleaner = d.undecodableBytes < gb.undecodableBytes
                let tieCJK = d.undecodableBytes == gb.undecodableBytes
                    && CharsetLabel.isCJKMultibyte(name) && confidence >= 70
                if cleaner || tieCJK {
                    return decision(d, "no charset declared; detector says \(rawName) (confidence \(confidence)), "
                        + "\(d.undecodableBytes) undecodable bytes vs \(gb.undecodableBytes) as GB18030",
                        detected: detected)
                }
            }
            return decision(gb, "no charset declared; not valid UTF-8; detector says \(rawName) "
                + "(confidence \(confidence)) but GB18030 is the default for undeclared pages", detected: detected)
        }
        return decision(gb, "no charset declared; not valid UTF-8; default GB18030")
    }
}
