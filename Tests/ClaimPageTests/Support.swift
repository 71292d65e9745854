import ClaimPage
import ClaimText
import Foundation

/// The repository's `fixtures/pages/` directory.
let pagesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/pages")

func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: pagesDirectory.appendingPathComponent(name)))
}

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Extracts the runs of an HTML snippet given as UTF-8.
func runs(_ html: String, contentType: String? = "text/html; charset=utf-8") -> [TextRun] {
    VisibleText.extract(DecodedPage(bytes: utf8(html), contentType: contentType))
}

func run(_ runs: [TextRun], _ location: TextLocation) -> TextRun? {
    runs.first { $0.location == location }
}

/// A run's text with block breaks shown as "|".
func text(_ run: TextRun?) -> String {
    (run?.string ?? "").replacingOccurrences(of: "\u{2029}", with: "|")
}

/// The body text of an HTML snippet, block breaks shown as "|".
func bodyText(_ html: String) -> String { text(run(runs(html), .body)) }

/// Checks the structural invariants every run must hold; nil when they hold.
func checkInvariants(_ runs: [TextRun], pageSize: Int) -> String? {
    var seen = Set<TextLocation>()
    for r in runs {
        if !seen.insert(r.location).inserted { return "two runs for \(r.location)" }
        if r.scalars.count != r.byteStarts.count || r.scalars.count != r.byteEnds.count { return "array lengths" }
        var previous = 0
        for i in 0..<r.count {
            let a = Int(r.byteStarts[i]), b = Int(r.byteEnds[i])
            if a < 0 || b > pageSize || a > b { return "bad range \(a)..<\(b) in \(r.location) (size \(pageSize))" }
            if a < previous { return "start offsets decrease at \(i) in \(r.location): \(previous) then \(a)" }
            previous = a
        }
    }
    return nil
}

/// `bytes` with every occurrence of the ASCII string `old` replaced by `new`.
func replacing(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
    let o = Array(old.utf8), n = Array(new.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
        if i + o.count <= bytes.count, bytes[i..<(i + o.count)].elementsEqual(o) {
            out += n
            i += o.count
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return out
}

/// 包过 in GBK.
let gbkBaoGuo: [UInt8] = [0xB0, 0xFC, 0xB9, 0xFD]
