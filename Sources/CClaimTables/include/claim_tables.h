#ifndef CLAIMSCAN_CLAIM_TABLES_H
#define CLAIMSCAN_CLAIM_TABLES_H
// Tables computed from ICU at development time and committed as C data, so that a
// process start costs nothing to build them (static data is mapped, not computed).
// The .c files are generated; see ClaimText's CharTable.
#include <stdint.h>

/// Characters whose normalization differs from identity: `*count` triples
/// (code point, entry, flags).
const uint32_t *claim_char_diff(int32_t *count);

/// Expansions (a character normalized to several): `*count` values, each
/// expansion written as its length followed by its scalars.
const uint32_t *claim_char_expansions(int32_t *count);

/// Character classes for matching: `*count` pairs (first code point of a run,
/// class), the runs covering the BMP in order.
const uint32_t *claim_char_classes(int32_t *count);

#endif
