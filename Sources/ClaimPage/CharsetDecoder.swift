import CICU

/// Result of decoding a byte buffer with one charset through ICU.
struct ScalarDecoding {
    var charset: String
    var scalars: [Unicode.Scalar]
    /// Byte offsets as `Int32` (pages are far below 2 GiB): 12 bytes per decoded scalar
    /// instead of 20, and decoding is bound by the memory it writes.
    var byteStarts: [Int32]
    var byteEnds: [Int32]
    /// Source bytes ICU could not decode (each replaced by U+FFFD).
    var undecodableBytes: Int
    /// Scalars outside ASCII (a valid UTF-8 decoding with none is plain ASCII).
    var nonASCIIScalars: Int
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
            return ScalarDecoding(charset: charset, scalars: [], byteStarts: [], byteEnds: [],
                                  undecodableBytes: 0, nonASCIIScalars: 0)
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
        var starts: [Int32] = [], ends: [Int32] = []
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: length) { scalarBuffer, scalarCount in
            starts = [Int32](unsafeUninitializedCapacity: length) { startBuffer, startCount in
                ends = [Int32](unsafeUninitializedCapacity: length) { endBuffer, endCount in
                    units.withUnsafeBufferPointer { units in
                        offsets.withUnsafeBufferPointer { offsets in
                            var previous = base
                            var i = 0, k = 0, wide = 0
                            while i < length {
                                let u = units[i]
                                var start = offsets[i] >= 0 ? base + Int(offsets[i]) : previous
                                if start < previous { start = previous }
                                if start > base + n { start = base + n }
                                var value = UInt32(u)
                                var width = 1
                                if u & 0xFC00 == 0xD800, i + 1 < length, units[i + 1] & 0xFC00 == 0xDC00 {
                                    value = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(units[i + 1]) - 0xDC00)
                                    width = 2
                                } else if u & 0xF800 == 0xD800 {
                                    value = 0xFFFD  // lone surrogate
                                }
                                scalarBuffer.initializeElement(at: k, to: Unicode.Scalar(value) ?? "\u{FFFD}")
                                startBuffer.initializeElement(at: k, to: Int32(truncatingIfNeeded: start))
                                if value >= 0x80 { wide += 1 }
                                previous = start
                                i += width
                                k += 1
                            }
                            // A scalar ends where the next one starts; scalars sharing a start (one
                            // sequence producing several code points) all cover the whole sequence.
                            var next = Int32(truncatingIfNeeded: base + n)
                            var j = k - 1
                            while j >= 0 {
                                let end = j + 1 < k && startBuffer[j + 1] > startBuffer[j] ? startBuffer[j + 1] : next
                                endBuffer.initializeElement(at: j, to: end)
                                next = end
                                j -= 1
                            }
                            endCount = k
                            nonASCII = wide
                        }
                    }
                }
                startCount = ends.count
            }
            scalarCount = starts.count
        }
        return ScalarDecoding(charset: charset, scalars: scalars, byteStarts: starts, byteEnds: ends,
                              undecodableBytes: Int(substituted), nonASCIIScalars: nonASCII)
    }

    /// UTF-8 decoded directly (most pages are UTF-8; going through ICU's UTF-16
    /// output and offset arrays was the slowest stage of the pipeline). Ill-formed
    /// sequences become one U+FFFD per maximal subpart, as ICU and the WHATWG
    /// decoder do, and count as undecodable bytes.
    static func decodeUTF8(_ src: UnsafeBufferPointer<UInt8>, base: Int) -> ScalarDecoding {
        let n = src.count
        var bad = 0, nonASCII = 0
        var starts: [Int32] = [], ends: [Int32] = []
        // At most one scalar per byte: the three arrays are filled in place, without the
        // per-append checks (this loop runs once per byte of every page).
        let scalars = [Unicode.Scalar](unsafeUninitializedCapacity: n) { scalarBuffer, scalarCount in
            starts = [Int32](unsafeUninitializedCapacity: n) { startBuffer, startCount in
                ends = [Int32](unsafeUninitializedCapacity: n) { endBuffer, endCount in
                    let (count, undecodable, wide) = decodeUTF8(src, base: base, scalarBuffer, startBuffer, endBuffer)
                    bad = undecodable
                    nonASCII = wide
                    endCount = count
                }
                startCount = ends.count
            }
            scalarCount = starts.count
        }
        return ScalarDecoding(charset: "UTF-8", scalars: scalars, byteStarts: starts, byteEnds: ends,
                              undecodableBytes: bad, nonASCIIScalars: nonASCII)
    }

    /// The loop of ``decodeUTF8(_:base:)``: writes the scalars and their byte ranges,
    /// returns (scalars written, undecodable bytes, non-ASCII scalars).
    private static func decodeUTF8(
        _ src: UnsafeBufferPointer<UInt8>, base: Int,
        _ scalars: UnsafeMutableBufferPointer<Unicode.Scalar>,
        _ starts: UnsafeMutableBufferPointer<Int32>,
        _ ends: UnsafeMutableBufferPointer<Int32>
    ) -> (Int, Int, Int) {
        let n = src.count
        var bad = 0, nonASCII = 0
        var i = 0, k = 0
        while i < n {
            let b0 = src[i]
            if b0 < 0x80 {
                scalars.initializeElement(at: k, to: Unicode.Scalar(b0))
                starts.initializeElement(at: k, to: Int32(truncatingIfNeeded: base + i))
                ends.initializeElement(at: k, to: Int32(truncatingIfNeeded: base + i + 1))
                k += 1
                i += 1
                continue
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
            ends.initializeElement(at: k, to: Int32(truncatingIfNeeded: base + i + j))
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
