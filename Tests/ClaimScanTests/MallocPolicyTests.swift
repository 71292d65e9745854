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
        let count = 256 * 1024
        var block = [UInt8](repeating: 7, count: count)
        block[count - 1] = 9
        var sum = 0
        for byte in block { sum += Int(byte) }
        let expected = 7 * (count - 1) + 9
        #expect(sum == expected)
    }
}
