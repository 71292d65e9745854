import ClaimPage
import ClaimText
import Testing

/// Prints rough timings (no assertions: timings depend on the machine and build).
@Suite("Timing")
struct TimingTests {
    @Test func printTimings() throws {
        for name in ["med66.com.gbk.html", "zikao365.com.html"] {
            let bytes = try fixture(name)
            let rounds = 20
            let clock = ContinuousClock()
            var page = DecodedPage(bytes: bytes)
            let decode = clock.measure {
                for _ in 0..<rounds { page = DecodedPage(bytes: bytes) }
            }
            var count = 0
            let extract = clock.measure {
                for _ in 0..<rounds { count += VisibleText.extract(page).count }
            }
            print("timing \(name) (\(bytes.count) bytes, \(page.decision.chosen)): decision+decode \(decode / rounds), extract \(extract / rounds) per page")
        }
    }
}
