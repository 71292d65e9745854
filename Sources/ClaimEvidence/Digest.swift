import Foundation
import Crypto

/// WARC digests in the form warcio and Heritrix write and check: `algorithm:BASE32` (RFC 4648, uppercase, padded).
public enum WARCDigest {
    /// `sha256:<base32>` of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return "sha256:" + base32(Array(hasher.finalize()))
    }

    /// RFC 4648 base32, uppercase alphabet with `=` padding (what Python's `base64.b32encode` gives).
    public static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 4) / 5 * 8)
        var i = 0
        while i < bytes.count {
            let n = min(5, bytes.count - i)
            var block: UInt64 = 0
            for j in 0..<5 { block = (block << 8) | UInt64(j < n ? bytes[i + j] : 0) }
            let chars = [0, 2, 4, 5, 7, 8][n]  // output symbols carrying data for n input bytes
            for k in 0..<8 {
                if k < chars {
                    out.append(alphabet[Int((block >> UInt64(35 - 5 * k)) & 31)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks `value` (e.g. `sha256:ABC…`) against `bytes`. Returns nil when the algorithm is not supported.
    /// Accepts base32 (any case) and base16 encodings of SHA-256 and SHA-1.
    public static func matches(_ value: String, _ bytes: [UInt8]) -> Bool? {
        guard let colon = value.firstIndex(of: ":") else { return false }
        let algorithm = value[..<colon].lowercased()
        let encoded = String(value[value.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        let raw: [UInt8]
        switch algorithm {
        case "sha256", "sha-256": raw = Array(SHA256.hash(data: bytes))
        case "sha1", "sha-1": raw = Array(Insecure.SHA1.hash(data: bytes))
        default: return nil
        }
        if encoded.count == raw.count * 2 {
            let hex = raw.map { String(format: "%02x", $0) }.joined()
            return hex == encoded.lowercased()
        }
        return base32(raw) == encoded.uppercased()
            || base32(raw).trimmingCharacters(in: CharacterSet(charactersIn: "=")) == encoded.uppercased()
    }
}
