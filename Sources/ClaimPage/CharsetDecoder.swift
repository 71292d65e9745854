import CICU

/// Result of decoding a byte buffer with one charset through ICU.
struct ScalarDecoding {
    var charset: String
    var scalars: [Unicode.Scalar]
    /// `scalars.count + 1` byte offsets: `scalars[i]` starts at `byteBounds[i]` and ends where
    /// the next one starts; the last entry is the end of the decoded bytes. (`Int32`, and no
    /// array of ends: 8 bytes per decoded scalar instead of 20, and decoding is bound by the
    /// memory it writes.)
    var byteBounds: [Int32]
    /// Each scalar's end, only when some scalars share their bytes (one sequence decoded to
    /// several code points, or a converter that reports no offsets); nil otherwise.
    var sharedEnds: [Int32]?
    /// Source bytes ICU could not decode (each replaced by U+FFFD).
    var undecodableBytes: Int
    /// Scalars outside ASCII (a valid UTF-8 decoding with none is plain ASCII).
    var nonASCIIScalars: Int

    /// Where each scalar starts (a copy; for tests and inspection).
    var byteStarts: [Int32] { Array(byteBounds.dropLast()) }
    /// Where each scalar ends (a copy; for tests and inspection).
    var byteEnds: [Int32] { sharedEnds ?? Array(byteBounds.dropFirst()) }
}

enum ICUDecoder {
    /// Decodes `bytes[from...]` with the ICU converter `charset`. Byte offsets
    /// are absolute indexes into `bytes`. Returns nil if ICU does not know
    /// the charset.
    static func decode(_ bytes: [UInt8], from: Int = 0, charset: String) -> ScalarDecoding? {
        bytes.withUnsafeBufferPointer { buf in
            decode(UnsafeBufferPointer(rebasing: buf[from...]), base: from, charset: charset)
        }
    }

    static func decode(_ src: UnsafeBufferPointer<UInt8>, base: Int, charset: String) -> ScalarDecoding? {
        if charset == "UTF-8" { return decodeUTF8(src, base: base) }
        let n = src.count
        if n == 0 {
            guard known(charset) else { return nil }
            return ScalarDecoding(charset: charset, scalars: [], byteBounds: [Int32(truncatingIfNeeded: base)],
                                  sharedEnds: nil, undecodableBytes: 0, nonASCIIScalars: 0)
        }
        // Every charset we use yields at most one UTF-16 unit per source byte;
        // retry with the documented worst case if ICU reports an overflow.
        var cap = n + 16
        var units: [UInt16] = []
        var offsets: [Int32] = []
        var substituted: Int32 = 0
        var status: Int32 = 0
        var length = 0
        for attempt in 0..<2 {
            if attempt == 1 { cap = 2 * n + 16 }
            substituted = 0
            status = 0
            // The units are not zeroed first: ICU writes each unit it produces, and only those
            // are kept. The offsets are: some converters (COMPOUND_TEXT) write none, and -1
            // reads as "no offset of its own".
            offsets = [Int32](repeating: -1, count: cap)
            units = offsets.withUnsafeMutableBufferPointer { o in
                [UInt16](unsafeUninitializedCapacity: cap) { u, unitCount in
                    let produced = cicu_decode(charset, src.baseAddress, Int32(n), u.baseAddress, Int32(cap), o.baseAddress,
                                               &substituted, &status)
                    unitCount = min(max(Int(produced), 0), cap)
                }
            }
            length = units.count
            if status != 15 { break }  // U_BUFFER_OVERFLOW_ERROR
        }
        if status > 0 { return nil }

        // At most one scalar per UTF-16 unit: filled in place, as in decodeUTF8.
        var nonASCII = 0
        var shared = false
        var bounds: [Int32] = []
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: length) { scalarBuffer, scalarCount in
            bounds = [Int32](unsafeUninitializedCapacity: length + 1) { boundBuffer, boundCount in
                units.withUnsafeBufferPointer { units in
                    offsets.withUnsafeBufferPointer { offsets in
                        var previous = base
                        var i = 0, k = 0, wide = 0
                        while i < length {
                            let u = units[i]
                            var start = offsets[i] >= 0 ? base + Int(offsets[i]) : previous
                            if start < previous { start = previous }
                            if start > base + n { start = base + n }
                            if k > 0, start == previous { shared = true }
                            var value = UInt32(u)
                            var width = 1
                            if u & 0xFC00 == 0xD800, i + 1 < length, units[i + 1] & 0xFC00 == 0xDC00 {
                                value = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
                                width = 2
                            } else if u & 0xF800 == 0xD800 {
                                value = 0xFFFD  // lone surrogate
                            }
                            scalarBuffer.initializeElement(at: k, to: Unicode.Scalar(value) ?? "\u{FFFD}")
                            boundBuffer.initializeElement(at: k, to: Int32(truncatingIfNeeded: start))
                            if value >= 0x80 { wide += 1 }
                            previous = start
                            i += width
                            k += 1
                        }
                        boundBuffer.initializeElement(at: k, to: Int32(truncatingIfNeeded: base + n))
                        boundCount = k + 1
                        scalarCount = k
                        nonASCII = wide
                    }
                }
            }
        }
        return ScalarDecoding(charset: charset, scalars: scalars, byteBounds: bounds,
                              sharedEnds: shared ? sharedEnds(bounds) : nil,
                              undecodableBytes: Int(substituted), nonASCIIScalars: nonASCII)
    }

    /// The ends of scalars when some share a start: a scalar ends where the next one with a
    /// greater start begins, so scalars sharing a start (one sequence producing several code
    /// points) all cover the whole sequence.
    private static func sharedEnds(_ bounds: [Int32]) -> [Int32] {
        let count = bounds.count - 1
        var ends = [Int32](repeating: 0, count: count)
        var next = bounds[count]
        var j = count - 1
        while j >= 0 {
            if bounds[j + 1] > bounds[j] { next = bounds[j + 1] }
            ends[j] = next
            j -= 1
        }
        return ends
    }

    /// UTF-8 decoded directly (most pages are UTF-8; going through ICU's UTF-16
    /// output and offset arrays was the slowest stage of the pipeline). Ill-formed
    /// sequences become one U+FFFD per maximal subpart, as ICU and the WHATWG
    /// decoder do, and count as undecodable bytes.
    static func decodeUTF8(_ src: UnsafeBufferPointer<UInt8>, base: Int) -> ScalarDecoding {
        let n = src.count
        var bad = 0, nonASCII = 0
        var bounds: [Int32] = []
        // At most one scalar per byte: both arrays are filled in place, without the
        // per-append checks (this loop runs once per byte of every page). A UTF-8 scalar
        // ends where the next begins, so no ends are written.
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: n) { scalarBuffer, scalarCount in
            bounds = [Int32](unsafeUninitializedCapacity: n + 1) { boundBuffer, boundCount in
                let (count, undecodable, wide) = decodeUTF8(src, base: base, scalarBuffer, boundBuffer)
                boundBuffer.initializeElement(at: count, to: Int32(truncatingIfNeeded: base + n))
                bad = undecodable
                nonASCII = wide
                boundCount = count + 1
            }
            scalarCount = bounds.count - 1
        }
        return ScalarDecoding(charset: "UTF-8", scalars: scalars, byteBounds: bounds, sharedEnds: nil,
                              undecodableBytes: bad, nonASCIIScalars: nonASCII)
    }

    /// The loop of ``decodeUTF8(_:base:)``: writes the scalars and where each starts,
    /// returns (scalars written, undecodable bytes, non-ASCII scalars).
    private static func decodeUTF8(
        _ src: UnsafeBufferPointer<UInt8>, base: Int,
        _ scalars: UnsafeMutableBufferPointer<Unicode.Scalar>,
        _ starts: UnsafeMutableBufferPointer<Int32>
    ) -> (Int, Int, Int) {
        let n = src.count
        var bad = 0, nonASCII = 0
        var i = 0, k = 0
        guard n > 0, let bytes = src.baseAddress, let out = scalars.baseAddress, let at = starts.baseAddress else { return (0, 0, 0) }
        while i < n {
            // Markup is ASCII: eight bytes at a time while a word holds no lead or
            // continuation byte (an unaligned load; x86 and arm64 allow it).
            while i + 8 <= n {
                let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: SIMD8<UInt8>.self)
                if unsafeBitCast(word, to: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
                // Unicode.Scalar is its UInt32 value; the stores need no alignment (SE-0349).
                UnsafeMutableRawPointer(out + k).storeBytes(of: SIMD8<UInt32>(truncatingIfNeeded: word), as: SIMD8<UInt32>.self)
                let offset = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: base &+ i)) &+ SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
                UnsafeMutableRawPointer(at + k).storeBytes(of: offset, as: SIMD8<Int32>.self)
                k += 8
                i += 8
            }
            guard i < n else { break }
            let b0 = bytes[i]
            if b0 < 0x80 {
                (out + k).initialize(to: Unicode.Scalar(b0))
                (at + k).initialize(to: Int32(truncatingIfNeeded: base + i))
                k += 1
                i += 1
                continue
            }
            // A Han character is a three-byte sequence whose lead is none of the two with a
            // narrower second-byte range (E0, ED): decoded without the general loop below.
            if b0 >= 0xE1, b0 != 0xED, b0 <= 0xEF, i + 2 < n {
                let b1 = bytes[i + 1], b2 = bytes[i + 2]
                if b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 {
                    let value = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
                    // 0x1000–0xFFFF without the surrogates (ED is excluded): always a scalar.
                    (out + k).initialize(to: unsafeBitCast(value, to: Unicode.Scalar.self))
                    (at + k).initialize(to: Int32(truncatingIfNeeded: base + i))
                    nonASCII += 1
                    k += 1
                    i += 3
                    continue
                }
            }
            var length = 0
            var value: UInt32 = 0
            switch b0 {
            case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
            case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
            case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
            default: break
            }
            var j = 1
            if length > 0 {
                while j < length, i + j < n {
                    let b = src[i + j]
                    var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                    if j == 1 {
                        switch b0 {
                        case 0xE0: lo = 0xA0
                        case 0xED: hi = 0x9F
                        case 0xF0: lo = 0x90
                        case 0xF4: hi = 0x8F
                        default: break
                        }
                    }
                    guard b >= lo, b <= hi else { break }
                    value = (value << 6) | UInt32(b & 0x3F)
                    j += 1
                }
            }
            nonASCII += 1
            if length > 0, j == length, let scalar = Unicode.Scalar(value) {
                scalars.initializeElement(at: k, to: scalar)
            } else {
                scalars.initializeElement(at: k, to: "\u{FFFD}")
                bad += j
            }
            starts.initializeElement(at: k, to: Int32(truncatingIfNeeded: base + i))
            k += 1
            i += j
        }
        return (k, bad, nonASCII)
    }

    /// Decodes bytes to a String; nil if ICU does not know the charset.
    static func string(_ src: UnsafeBufferPointer<UInt8>, charset: String) -> String? {
        let n = src.count
        if n == 0 { return known(charset) ? "" : nil }
        var cap = n + 16
        var result: String?
        for attempt in 0..<2 {
            if attempt == 1 { cap = 2 * n + 16 }
            var units = [UInt16](repeating: 0, count: cap)
            var substituted: Int32 = 0
            var status: Int32 = 0
            let length = Int(units.withUnsafeMutableBufferPointer { u in
                cicu_decode(charset, src.baseAddress, Int32(n), u.baseAddress, Int32(cap), nil, &substituted, &status)
            })
            if status == 15 { continue }
            if status > 0 { return nil }
            result = String(decoding: units[0..<length], as: UTF16.self)
            break
        }
        return result
    }

    static func known(_ charset: String) -> Bool {
        var name = [CChar](repeating: 0, count: 64)
        return cicu_charset_known(charset, &name, 64) != 0
    }

    /// ICU's charset detector over (at most) the first `limit` bytes.
    static func detect(_ bytes: [UInt8], limit: Int = 65536) -> (name: String, confidence: Int)? {
        let n = min(bytes.count, limit)
        guard n > 0 else { return nil }
        var name = [CChar](repeating: 0, count: 64)
        var confidence: Int32 = 0
        var status: Int32 = 0
        let found = bytes.withUnsafeBufferPointer { b in
            cicu_detect(b.baseAddress, Int32(n), &name, 64, &confidence, &status)
        }
        guard found != 0, status <= 0 else { return nil }
        let bytesOfName = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (String(decoding: bytesOfName, as: UTF8.self), Int(confidence))
    }
}
