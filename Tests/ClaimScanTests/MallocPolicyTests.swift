import ClaimScan
import Testing

/// `scan` fixes glibc's mmap and trim thresholds and caps its arenas at two (README, "Session 6:
/// the compile's peak and the allocator", and session 7); glibc must accept all three (elsewhere
/// the call changes nothing and says so).
@Suite struct MallocPolicyTests {
    @Test func glibcAcceptsTheSettings() {
        #if canImport(Glibc)
        #expect(MallocPolicy.applyForCrawl())
        #else
        #expect(!MallocPolicy.applyForCrawl())
        #endif
    }
}
