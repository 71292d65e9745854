import Crypto
import Foundation
@testable import ClaimEvidence

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init(_ label: String = #function) throws {
        let name = "claimevidence-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
    func warcFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(".warc.gz") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// Independent digest for the tests: SHA-256, RFC 4648 base32 via a bit-by-bit encoder
/// (deliberately not the library's block encoder).
func independentSHA256Base32(_ bytes: [UInt8]) -> String {
    let digest = Array(SHA256.hash(data: bytes))
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var bits = digest.flatMap { byte in (0..<8).reversed().map { (byte >> $0) & 1 } }
    while bits.count % 5 != 0 { bits.append(0) }
    var out = ""
    for i in stride(from: 0, to: bits.count, by: 5) {
        let v = bits[i..<(i + 5)].reduce(0) { $0 << 1 | Int($1) }
        out.append(alphabet[v])
    }
    while out.count % 8 != 0 { out.append("=") }
    return "sha256:" + out
}

/// "一次通过，包过拿证" and more in GBK (bytes fixed here so the test needs no converter).
let gbkBody: [UInt8] = {
    // <html><meta charset="gbk"><p> + 包过 保证拿证 + </p></html>
    let head = Array("<html><head><meta charset=\"gbk\"></head><body><p>".utf8)
    let chinese: [UInt8] = [0xB0, 0xFC, 0xB9, 0xFD, 0x20, 0xB1, 0xA3, 0xD6, 0xA4, 0xC4, 0xC3, 0xD6, 0xA4]
    let tail = Array("</p></body></html>".utf8)
    return head + chinese + tail
}()

func sampleExchanges() -> [HTTPExchange] {
    var binary = [UInt8](repeating: 0, count: 3000)
    var x: UInt32 = 12345
    for i in binary.indices { x = x &* 1103515245 &+ 12345; binary[i] = UInt8(truncatingIfNeeded: x >> 16) }
    binary[10] = 0x1f; binary[11] = 0x8b; binary[12] = 0x08  // a gzip magic inside a body must not confuse anyone
    binary[100...103] = [13, 10, 13, 10]
    let date = Date(timeIntervalSince1970: 1_735_732_800.25)  // 2025-01-01T12:00:00.25Z
    return [
        HTTPExchange(
            targetURI: "http://www.example-cert.cn/zhengshu/index.html?id=3", date: date, ipAddress: "203.0.113.7",
            requestHeaders: [("Host", "www.example-cert.cn"), ("User-Agent", "claimscan/0.1"), ("Accept-Encoding", "gzip")],
            statusCode: 200,
            responseHeaders: [("Content-Type", "text/html; charset=GBK"), ("Content-Encoding", "gzip"),
                              ("Content-Length", "77"), ("Server", "nginx")],
            body: gbkBody),
        HTTPExchange(
            targetURI: "https://example-cert.cn/logo.png", date: date.addingTimeInterval(1), ipAddress: "2001:db8::1",
            statusCode: 200,
            responseHeaders: [("Content-Type", "image/png"), ("Transfer-Encoding", "chunked")],
            body: binary),
        HTTPExchange(
            targetURI: "https://example-cert.cn:8443/empty", date: date.addingTimeInterval(2),
            requestHeaders: [("User-Agent", "claimscan/0.1")],
            statusCode: 204, responseHeaders: [("Server", "x")], body: []),
        HTTPExchange(
            targetURI: "https://example-cert.cn/moved", date: date.addingTimeInterval(3),
            httpVersion: "HTTP/2", statusCode: 301, reasonPhrase: nil,
            responseHeaders: [("location", "https://example-cert.cn/new"), ("content-length", "0")], body: []),
    ]
}

/// Path of scripts/warcio-check.sh, from this source file.
func repoRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
