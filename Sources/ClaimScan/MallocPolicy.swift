import CMalloc

/// How `scan` asks glibc's allocator to hand memory back, for a long crawl whose peak
/// resident set is part of what it promises (README, "Where a crawl's memory goes").
public enum MallocPolicy {
    /// Blocks of 64 KiB or more get their own mapping and go back to the system when freed;
    /// the heap's free top is trimmed past 128 KiB.
    ///
    /// glibc's default threshold starts at 128 KiB and rises to the size of every mapped block
    /// freed (up to 32 MiB): after the lexicon's compile frees its arrays, each page body, decoded
    /// page and scan buffer came from the heaps and thread arenas instead, which keep their
    /// high-water mark. Fixed thresholds took the 100-site crawl's peak from ~64 to ~56 MB
    /// (`./scripts/bench-crawl-memory.sh`); see the README for what they cost in pages per second.
    ///
    /// At most two allocation arenas (glibc's default is eight per core): each thread that
    /// allocates gets an arena of its own, up to that limit, and each arena keeps the high-water
    /// mark of the small blocks its threads had live at once — the crawl's engine, analysis,
    /// database and evidence threads each held a few hundred KB that way. With two, the 100-site
    /// crawl's peak fell by ~2 MB (`bench-crawl-memory.sh`, alternating runs); the pages per
    /// second it costs are in the README.
    /// Call before compiling the lexicon and before any thread starts. Returns false where the
    /// C library has no such settings (not glibc): nothing changes then.
    @discardableResult
    public static func applyForCrawl() -> Bool {
        cs_mallopt_thresholds(64 * 1024, 128 * 1024) != 0 && cs_mallopt_arena_max(2) != 0
    }

    /// For `bench` and `eval`, which time or repeat the text pipeline over many pages in one
    /// process: blocks up to 32 MiB come from the heap, whose free top is trimmed past 64 MiB.
    ///
    /// Fixed, so that the speed does not depend on what the lexicon's compile happened to
    /// free: with glibc's rising default, a compile that frees large arrays (the bundled
    /// lexicon's) raised the threshold and the pages' buffers came from the heap, while a
    /// small lexicon's left it at 128 KiB, and every page's decoded text and buffers were
    /// mapped and unmapped again — a 100-pattern lexicon ran the pipeline at 113 MB/s, slower
    /// than a 1,000-pattern one (148 MB/s); with these thresholds ~180 MB/s. Call before the
    /// lexicon compiles. Returns false where the C library has no such settings.
    @discardableResult
    public static func applyForThroughput() -> Bool {
        cs_mallopt_thresholds(32 << 20, 64 << 20) != 0
    }
}
