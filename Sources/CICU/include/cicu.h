#ifndef CLAIMSCAN_CICU_H
#define CLAIMSCAN_CICU_H
// ICU behind a header that uses only <stdint.h> types.
//
// Swift modules that import Foundation cannot also see the system ICU headers
// (Foundation's bundled ICU defines UErrorCode differently), and Debian's ICU
// only exports version-suffixed symbols, which the macros in the .c file add.
// So every ICU call lives in cicu.c and this header speaks in plain integers.
// UTF-16 text is passed as uint16_t. `status` receives an ICU UErrorCode
// value: 0 is success, > 0 is failure, < 0 is a warning.
#include <stdint.h>

/// NFKC case folding (full-width → half-width, case folding, removal of
/// default-ignorable characters). Returns the output length (may exceed
/// dstCap, with status = U_BUFFER_OVERFLOW_ERROR = 15).
int32_t cicu_nfkc_casefold(const uint16_t *src, int32_t srcLen,
                           uint16_t *dst, int32_t dstCap, int32_t *status);

/// NFKC case folding of each BMP code point from `first` to `last`
/// separately (surrogates are skipped, length 0). Output is concatenated into
/// `out`; `lengths[i]` receives the length for code point first + i (-1 on
/// error). Returns the total output length, or -1 if `outCap` was too small.
int32_t cicu_nfkc_casefold_each(int32_t first, int32_t last, uint16_t *out, int32_t outCap, int32_t *lengths);

/// Opens an ICU transliterator by id ("Traditional-Simplified", "Han-Latin",
/// "Latin-ASCII", ...). Returns NULL on failure. Not thread-safe: one user at a time.
void *cicu_translit_open(const char *id, int32_t *status);
void cicu_translit_close(void *translit);
/// Transliterates `text` in place; returns the new length (status 15 when
/// textCap was too small).
int32_t cicu_translit_apply(void *translit, uint16_t *text, int32_t textLen,
                            int32_t textCap, int32_t *status);

/// Decodes `src` in `charset` to UTF-16. For every output unit, `offsets`
/// (dstCap entries) receives the byte index in `src` of the sequence that
/// produced it. `substitutedBytes` receives how many source bytes could not
/// be decoded (illegal, unassigned or truncated sequences, replaced by U+FFFD).
/// Returns the output length. Allocate dstCap >= 2 * srcLen + 16.
int32_t cicu_decode(const char *charset, const uint8_t *src, int32_t srcLen,
                    uint16_t *dst, int32_t dstCap, int32_t *offsets,
                    int32_t *substitutedBytes, int32_t *status);

/// Whether ICU knows a converter for `charset`; writes its canonical name.
int32_t cicu_charset_known(const char *charset, char *canonical, int32_t canonicalCap);

/// ICU's charset detector with the markup filter on. Writes the best
/// charset name and its confidence (0–100). Returns 1 if something was detected.
int32_t cicu_detect(const uint8_t *src, int32_t srcLen, char *name, int32_t nameCap,
                    int32_t *confidence, int32_t *status);

#endif
