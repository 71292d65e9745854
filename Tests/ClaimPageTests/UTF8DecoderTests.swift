import Foundation
import Testing
import TestSupport
@testable import ClaimPage

/// The native UTF-8 decoder against ICU's, on seeded random bytes biased toward
/// almost-valid UTF-8 (truncated, overlong, surrogate and out-of-range sequences), with
/// ASCII runs long enough for the eight-byte path and three-byte sequences of every lead.
@Suite struct UTF8DecoderTests {
    @Test func agreesWithICU() {
        var rng = SplitMix64(seed: 8)
        let pieces: [[UInt8]] = [
            Array("包过".utf8), Array("abc".utf8), Array("😀".utf8), [0xE5, 0x8C], [0xF0, 0x9F], [0xC0, 0xAF],
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF], [0xE0, 0x80, 0x80], [0xC2], [0x0A],
            Array("<div class=\"nav\">".utf8), Array("报名考试".utf8), [0xEF, 0xBF, 0xBD], [0xEE, 0x80, 0x80],
            [0xE1, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xE5, 0x8C, 0x41], [0xEA, 0xC0, 0x80],
        ]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &rng) {
                if Bool.random(using: &rng) { bytes += pieces.randomElement(using: &rng)! }
                else { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
            }
            let native = bytes.withUnsafeBufferPointer { ICUDecoder.decodeUTF8($0, base: 0) }
            guard let icu = ICUDecoder.decode(bytes, charset: "UTF8") else { Issue.record("ICU does not know UTF8"); return }
            #expect(native.scalars == icu.scalars, "\(bytes)")
            #expect(native.byteStarts == icu.byteStarts, "\(bytes)")
            #expect(native.byteEnds == icu.byteEnds, "\(bytes)")
            #expect(native.undecodableBytes == icu.undecodableBytes, "\(bytes)")
            // From an offset (after a byte order mark): offsets stay absolute.
            let from = min(bytes.count, Int.random(in: 0...3, using: &rng))
            let nativeFrom = ICUDecoder.decode(bytes, from: from, charset: "UTF-8")
            let icuFrom = ICUDecoder.decode(bytes, from: from, charset: "UTF8")
            #expect(nativeFrom?.scalars == icuFrom?.scalars, "\(bytes) from \(from)")
            #expect(nativeFrom?.byteStarts == icuFrom?.byteStarts, "\(bytes) from \(from)")
            #expect(nativeFrom?.byteEnds == icuFrom?.byteEnds, "\(bytes) from \(from)")
        }
    }

    /// A converter that writes no offsets (ICU's COMPOUND_TEXT) gives every scalar the whole
    /// input, never the leftovers of an uninitialized buffer (review, session 7).
    @Test func aConverterWithoutOffsetsGivesDefinedRanges() throws {
        let bytes = Array("hello world, plain ASCII".utf8)
        let page = try #require(DecodedPage(bytes: bytes, charset: "COMPOUND_TEXT"))
        #expect(String(String.UnicodeScalarView(page.scalars)) == "hello world, plain ASCII")
        #expect(page.byteStarts.allSatisfy { $0 == 0 })
        #expect(page.byteEnds.allSatisfy { $0 == Int32(bytes.count) })
    }
}
