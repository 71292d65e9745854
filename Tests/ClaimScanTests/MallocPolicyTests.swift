import ClaimScan
import Testing

/// `scan` fixes glibc's mmap and trim thresholds and caps its arenas at two (README, "Session 6:
/// the compile's peak and the allocator", and session 7); `bench` and `eval` fix them higher
/// (session 8). glibc must accept every setting (elsewhere the calls change nothing and say so).
@Suite struct MallocPolicyTests {
    @Test func glibcAcceptsTheSettings() {
        #if canImport(Glibc)
        #expect(MallocPolicy.applyForThroughput())
        #expect(MallocPolicy.applyForCrawl())
        #else
        #expect(!MallocPolicy.applyForThroughput())
        #expect(!MallocPolicy.applyForCrawl())
        #endif
    }
}
