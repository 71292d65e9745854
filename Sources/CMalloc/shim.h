#ifndef CLAIMSCAN_CMALLOC_SHIM_H
#define CLAIMSCAN_CMALLOC_SHIM_H
// glibc's mallopt (malloc.h is not part of Swift's Glibc module). 0 where unsupported.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
static inline int cs_mallopt_thresholds(int mmap_threshold, int trim_threshold) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) && mallopt(M_TRIM_THRESHOLD, trim_threshold);
#else
    return 0;
#endif
}
static inline int cs_mallopt_arena_max(int arenas) {
#if defined(M_ARENA_MAX)
    return mallopt(M_ARENA_MAX, arenas);
#else
    return 0;
#endif
}
#else
static inline int cs_mallopt_thresholds(int mmap_threshold, int trim_threshold) { return 0; }
static inline int cs_mallopt_arena_max(int arenas) { return 0; }
#endif
#endif
