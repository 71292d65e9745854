#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for the scan.
enum MallocTuning {
    /// One malloc arena for the whole process (`mallopt(M_ARENA_MAX, 1)`).
    ///
    /// A scan allocates on the crawler thread (bodies, decoded pages) and frees on the
    /// analysis and processing queues, whose Dispatch worker threads come and go; by default
    /// glibc gives each new thread its own arena (up to 8 per core), and each arena keeps its
    /// freed memory. In the 100-site crawl benchmark that was 5–6 arenas of ~2 MB each, and one
    /// arena took ~9 MiB off the peak RSS, at no measurable cost in speed (three busy threads,
    /// and the per-thread tcache serves most small allocations without the arena lock).
    /// Call before the threads start: a thread already attached to an arena keeps it.
    static func oneArena() {
        #if canImport(Glibc)
        // <malloc.h> is not part of Swift's Glibc module: look the function up instead.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let M_ARENA_MAX: Int32 = -8
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(M_ARENA_MAX, 1)
        #endif
    }
}
