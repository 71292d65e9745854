import ClaimScan
import Testing

/// `scan` fixes glibc's mmap and trim thresholds (README, "Session 6: the compile's peak and
/// the allocator"); on this project's Linux machines the C library must accept them.
@Suite struct MallocPolicyTests {
    @Test func glibcAcceptsTheThresholds() {
        #if os(Linux)
        #expect(MallocPolicy.returnLargeBlocks())
        #endif
        // Allocating and freeing a block above the threshold still works afterwards.
        var block = [UInt8](repeating: 7, count: 256 * 1024)
        block[block.count - 1] = 9
        #expect(block.reduce(0) { $0 + Int($1) } == 7 * (256 * 1024 - 1) + 9)
    }
}
