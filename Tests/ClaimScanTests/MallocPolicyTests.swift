import ClaimScan
import Testing

/// `scan` fixes glibc's mmap and trim thresholds (README, "Session 6: the compile's peak and
/// the allocator"); glibc must accept them (elsewhere the call changes nothing and says so).
@Suite struct MallocPolicyTests {
    @Test func glibcAcceptsTheThresholds() {
        #if canImport(Glibc)
        #expect(MallocPolicy.returnLargeBlocks())
        #else
        #expect(!MallocPolicy.returnLargeBlocks())
        #endif
    }
}
