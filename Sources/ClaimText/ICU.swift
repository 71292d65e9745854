import CICU

/// Thin Swift wrappers over the CICU shim. Everything that touches ICU goes
/// through here, so the rest of the module deals in Swift types only.
enum ICU {
    /// NFKC case folding of a UTF-16 string.
    static func nfkcCasefold(_ units: [UInt16]) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: units.count * 4 + 8)
        var status: Int32 = 0
        let n = units.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                cicu_nfkc_casefold(src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count), &status)
            }
        }
        guard status <= 0, n >= 0 else { return units }
        return Array(out.prefix(Int(n)))
    }

    /// NFKC case folding of every BMP code point on its own, in one C call:
    /// for each code point, its folded UTF-16 (nil where ICU failed).
    static func nfkcCasefoldEachBMP() -> [[UInt16]?] {
        let count = 0x10000
        var lengths = [Int32](repeating: 0, count: count)
        var out = [UInt16](repeating: 0, count: count * 4)
        let used = out.withUnsafeMutableBufferPointer { o in
            lengths.withUnsafeMutableBufferPointer { l in
                cicu_nfkc_casefold_each(0, Int32(count - 1), o.baseAddress, Int32(o.count), l.baseAddress)
            }
        }
        guard used >= 0 else { return Array(repeating: nil, count: count) }
        var result = [[UInt16]?](repeating: nil, count: count)
        var offset = 0
        for i in 0..<count {
            let len = Int(lengths[i])
            if len < 0 { continue }
            result[i] = Array(out[offset..<(offset + len)])
            offset += len
        }
        return result
    }

    /// An ICU transliterator. Not thread-safe: use from one thread at a time.
    final class Transliterator {
        private let handle: UnsafeMutableRawPointer

        init?(_ id: String) {
            var status: Int32 = 0
            guard let h = cicu_translit_open(id, &status), status <= 0 else { return nil }
            handle = h
        }

        deinit { cicu_translit_close(handle) }

        func apply(_ units: [UInt16]) -> [UInt16] {
            var capacity = units.count * 4 + 16
            while true {
                var buffer = units + [UInt16](repeating: 0, count: capacity - units.count)
                var status: Int32 = 0
                let n = buffer.withUnsafeMutableBufferPointer {
                    cicu_translit_apply(handle, $0.baseAddress, Int32(units.count), Int32(capacity), &status)
                }
                if status == 15 /* U_BUFFER_OVERFLOW_ERROR */ { capacity = Int(n) + 16; continue }
                guard status <= 0 else { return units }
                return Array(buffer.prefix(Int(n)))
            }
        }

        func apply(_ string: String) -> String {
            String(decoding: apply(Array(string.utf16)), as: UTF16.self)
        }
    }
}
